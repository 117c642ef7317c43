package records_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCSVCancelNamesColumns: a CSV cancel row with values is refused
// naming the columns that hold them (a CSV has no values column); a JSON
// line names values, as before.
func TestCSVCancelNamesColumns(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p1 := recordstest.CitizenID(1)
		if res := f.push(f.pusher, f.hj, line("add", p1, monday, map[string]string{"姓名": "甲"}, ""), records.Options{}); res.Applied != 1 {
			t.Fatalf("add: %+v", res)
		}
		csv := "op,subject_id,produced_at,出生日期,姓名,户籍地址\ncancel," + p1 + ",2026-03-02 10:30:00,,改名,某路\n"
		res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader(csv)), f.receivedAt, records.Options{})
		if err != nil || len(res.Rejected) != 1 {
			t.Fatalf("CSV cancel with values: %+v, %v; want one error", res.Rejected, err)
		}
		r := res.Rejected[0]
		if r.Code != "values_not_allowed" || r.Field != "姓名、户籍地址" || !strings.Contains(r.Reason, "“姓名”“户籍地址”") || strings.Contains(r.Reason, "values") {
			t.Errorf("CSV cancel with values: %+v, want values_not_allowed naming the columns 姓名 and 户籍地址", r)
		}
		res = f.push(f.pusher, f.hj, line("cancel", p1, monday.Add(time.Hour), map[string]string{"姓名": "改名"}, ""), records.Options{})
		if len(res.Rejected) != 1 || res.Rejected[0].Field != "values" {
			t.Errorf("JSON cancel with values: %+v, want field values", res.Rejected)
		}
	})
}
