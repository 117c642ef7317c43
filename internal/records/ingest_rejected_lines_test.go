package records_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRejectedLinesCounted: the validity score counts refused lines, each
// once however many errors it has: a row with values in three unknown
// columns (three errors of the header) is one refused line of one
// checked, as is a row with two bad values; never more refused than
// checked.
func TestRejectedLinesCounted(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		quality := func() (checked, rejected int64) {
			t.Helper()
			q, err := records.EntryQuality(f.ctx, db.Read(), nil, f.hj, 0, f.receivedAt)
			if err != nil {
				t.Fatal(err)
			}
			return q[0].CheckedLines, q[0].RejectedLines
		}
		ingest := func(body string) records.BatchResult {
			t.Helper()
			res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader(body)), f.receivedAt, records.Options{})
			if err != nil {
				t.Fatal(err)
			}
			return res
		}
		res := ingest("op,subject_id,produced_at,备注,附言,其他\nadd," + recordstest.CitizenID(1) + ",2026-03-02 10:00:00,a,b,c\n")
		if res.Lines != 1 || res.RejectedCount != 3 || res.RejectedLines != 1 {
			t.Errorf("unknown columns: %d lines, %d errors, %d refused lines; want 1, 3, 1", res.Lines, res.RejectedCount, res.RejectedLines)
		}
		if c, r := quality(); c != 1 || r != 1 {
			t.Errorf("after unknown columns: checked %d, rejected %d; want 1, 1", c, r)
		}
		// Two rows, each with a value in an unknown column (reported
		// once) and one with an error of its own too: two refused lines.
		res = ingest("op,subject_id,produced_at,姓名,备注\n" +
			"add," + recordstest.CitizenID(2) + ",2026-03-02 10:00:00,张三,x\n" +
			"add,123,2026-03-02 10:00:00,李四,y\n" +
			"add," + recordstest.CitizenID(3) + ",2026-03-02 10:00:00,王五,\n")
		if res.Lines != 3 || res.RejectedCount != 2 || res.RejectedLines != 2 {
			t.Errorf("unknown column and a bad row: %d lines, %d errors, %d refused lines; want 3, 2, 2", res.Lines, res.RejectedCount, res.RejectedLines)
		}
		if c, r := quality(); c != 4 || r != 3 {
			t.Errorf("after the second batch: checked %d, rejected %d; want 4, 3", c, r)
		}
		// A row refused against the records (record_not_found) that also
		// held a value in an unknown column is one refused line.
		res = ingest("op,subject_id,produced_at,姓名,备注\nchange," + recordstest.CitizenID(4) + ",2026-03-02 10:00:00,赵六,z\n")
		if res.RejectedCount != 2 || res.RejectedLines != 1 {
			t.Errorf("unknown column and no record: %+v, %d refused lines; want 2 errors, 1 line", res.Rejected, res.RejectedLines)
		}
		if c, r := quality(); c != 5 || r != 4 {
			t.Errorf("after the third batch: checked %d, rejected %d; want 5, 4", c, r)
		}
	})
}
