package records_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestExcelErrorValueRefused: a CSV cell holding an Excel formula's
// error value (#N/A of a VLOOKUP that found nothing) is refused, naming
// the item or subject_id and the value, in an item of any type: in a text
// item it was stored as data, in another told only that it was no number
// or date. In a JSON value it is data (TestExcelChecksCSVOnly).
func TestExcelErrorValueRefused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		csv := "op,subject_id,produced_at,姓名,出生日期\n" +
			"add," + recordstest.CitizenID(1) + ",2026-03-02,#N/A,1990-01-01\n" +
			"add," + recordstest.CitizenID(2) + ",2026-03-02,张三,#VALUE!\n" +
			"add,#REF!,2026-03-02,李四,1990-01-01\n"
		res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader(csv)), f.receivedAt, records.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := refusals(res), "2:excel_error_value:姓名 3:excel_error_value:出生日期 4:excel_error_value:subject_id"; got != want || res.Applied != 0 {
			t.Fatalf("refusals %q (applied %d), want %q", got, res.Applied, want)
		}
		if r := res.Rejected[0].Reason; r != "信息项“姓名”的单元格是公式错误值 #N/A：请修正公式后再导入" {
			t.Errorf("reason %q", r)
		}
	})
	for _, it := range []records.Item{{Name: "备注", Type: "C"}, {Name: "人数", Type: "I"}, {Name: "金额", Type: "N"}, {Name: "时间", Type: "T"}} {
		for _, v := range []string{"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!", "#SPILL!", "#CALC!"} {
			if _, err := records.CheckCSVValue(it, v); errs.As(err) == nil || errs.As(err).Code != "excel_error_value" || !strings.Contains(err.Error(), v) {
				t.Errorf("%s %q: %v, want excel_error_value", it.Type, v, err)
			}
		}
	}
	for _, v := range []string{"#N/A", "#REF!", "#DIV/0!"} {
		if got, err := records.CheckValue(records.Item{Name: "备注", Type: "C"}, v); err != nil || got != v {
			t.Errorf("%q in JSON: %q %v, want kept", v, got, err)
		}
	}
	for _, v := range []string{"#N/A 待补", "N/A", "#1号楼", "#n/a"} {
		if got, err := records.CheckCSVValue(records.Item{Name: "备注", Type: "C"}, v); err != nil || got != v {
			t.Errorf("%q: %q %v, want kept", v, got, err)
		}
	}
}
