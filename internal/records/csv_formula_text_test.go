package records_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCSVFormulaText: a cell written ="…" (as many systems write an ID
// into CSV so that Excel keeps it text, and as Excel shows it: the text
// inside) is read as the text inside, unquoted (="440605…") as quoted
// ("=""440605…"""); the unquoted form was refused as a quote in an
// unquoted cell, which the clerk cannot see in Excel, and the quoted form
// stored with its = and quotes. An unquoted ="…" holding a comma, which
// Excel would split, stays a CSV error.
func TestCSVFormulaText(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		id1, id2 := recordstest.CitizenID(1), recordstest.CitizenID(2)
		csv := "op,subject_id,produced_at,姓名,户籍地址\r\n" +
			"add,=\"" + id1 + "\",2026-03-02,=\"张三\",=\"\"\r\n" +
			"\"add\",\"=\"\"" + id2 + "\"\"\",\"2026-03-02\",\"=\"\"李四\"\"\",\"=\"\"东街,1号\"\"\"\n"
		res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader(csv)), f.receivedAt, records.Options{})
		if err != nil || res.Applied != 2 {
			t.Fatalf("%+v %v, want 2 applied", res, err)
		}
		comma := "op,subject_id,produced_at,姓名,户籍地址\n" + "add," + recordstest.CitizenID(3) + ",2026-03-02,王五,=\"东街,1号\"\n"
		res, err = records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader(comma)), f.receivedAt, records.Options{})
		if got := refusals(res); err != nil || got != "2:malformed_csv:" {
			t.Errorf("unquoted =\"…\" with a comma: %q %v, want malformed_csv", got, err)
		}
		e := mustEntry(t, db, f.hj)
		for id, want := range map[string]map[string]string{id1: {"姓名": "张三"}, id2: {"姓名": "李四", "户籍地址": "东街,1号"}} {
			r, err := records.Get(f.ctx, db.Read(), e, id)
			if err != nil || len(r.Values) != len(want) {
				t.Errorf("%s: %+v %v, want %v", id, r.Values, err, want)
				continue
			}
			for k, v := range want {
				if r.Values[k] != v {
					t.Errorf("%s %s: %q, want %q", id, k, r.Values[k], v)
				}
			}
		}
	})
}
