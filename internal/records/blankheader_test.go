package records_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCSVBlankHeaderCells: a header may end in several blank cells (the
// trailing commas Excel writes); they name no column, and are no
// duplicate of one another.
func TestCSVBlankHeaderCells(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		body := "op,subject_id,produced_at,姓名,出生日期,,\n" +
			"add," + recordstest.CitizenID(1) + ",2026-03-02 10:00:00,张三,1990-01-01,,\n" +
			"add," + recordstest.CitizenID(2) + ",2026-03-02 10:00:00,李四,1990-01-02,,\n"
		res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader(body)), f.receivedAt, records.Options{})
		if err != nil || res.RejectedCount != 0 || res.Applied != 2 {
			t.Errorf("two blank header cells: %+v, %v; want both rows applied", res, err)
		}
	})
}

// TestCSVValueUnderBlankHeader: a value in a column whose header cell is
// blank is of no item: one error of the header's line 1 for each such
// column, naming it by its number (and the first row holding a value in
// it), as for a column naming no item, not one error of every row. The
// rows are still checked, without those values.
func TestCSVValueUnderBlankHeader(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		ingest := func(body string) records.BatchResult {
			t.Helper()
			res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader(body)), f.receivedAt, records.Options{})
			if err != nil {
				t.Fatal(err)
			}
			return res
		}
		res := ingest("op,subject_id,produced_at,姓名,出生日期,,\n" +
			"add," + recordstest.CitizenID(1) + ",2026-03-02 10:00:00,张三,1990-01-01,,备注\n" +
			"add," + recordstest.CitizenID(2) + ",2026-03-02 10:00:00,李四,1990-01-02,,又一条\n" +
			"add," + recordstest.CitizenID(3) + ",2026-03-02 10:00:00,王五,1990-01-03,甲,\n" +
			"add," + recordstest.CitizenID(4) + ",2026-03-02 10:00:00,,,乙,\n" +
			"add,123,2026-03-02 10:00:00,赵六,1990-01-04,,\n")
		var got []string
		for _, r := range res.Rejected {
			got = append(got, fmt.Sprintf("%d:%s:%s", r.Line, r.Code, r.Field))
		}
		if want := "1:unknown_item: 1:unknown_item: 6:invalid_citizen_id:subject_id"; strings.Join(got, " ") != want ||
			res.RejectedCount != 3 || res.Applied != 0 {
			t.Fatalf("refused %v (%d), applied %d; want %s", got, res.RejectedCount, res.Applied, want)
		}
		for i, want := range []string{"第 7 列没有列名，第 2 行", "第 6 列没有列名，第 4 行"} {
			if r := res.Rejected[i].Reason; !strings.Contains(r, "表头（第 1 行）") || !strings.Contains(r, want) {
				t.Errorf("header error %d: %q, want it to say %s", i, r, want)
			}
		}
	})
}
