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

// refusedBatch is n lines, each refused with one error: a line that is no
// JSON (refused as it is read) and an add of no item's value (refused as
// it is checked), in turn.
func refusedBatch(n int) string {
	var b strings.Builder
	for i := range n {
		if i%2 == 0 {
			b.WriteString("not json\n")
			continue
		}
		fmt.Fprintf(&b, `{"op":"add","subject_id":%q,"produced_at":"2026-03-02T10:00:00+08:00","values":{"无此项":"1"}}`+"\n", recordstest.CitizenID(i))
	}
	return b.String()
}

// TestRefusedBatchBounded: a batch of 30,000 lines, every one refused, is
// held by the reader with at most records.MaxRejected errors, the others
// counted only, where its one piece held all 30,000 until the batch ended
// (a 256 MiB upload: millions); the result lists the first MaxRejected in
// line order and counts all 30,000 errors and lines exactly.
func TestRefusedBatchBounded(t *testing.T) {
	const n = 30000
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		e, err := records.LoadEntry(f.ctx, db.Read(), f.hj)
		if err != nil {
			t.Fatal(err)
		}
		listed, errors, lines := records.ReadRejects(records.JSONLines(strings.NewReader(refusedBatch(n))), e, f.receivedAt)
		if listed > records.MaxRejected || errors != n || lines != n {
			t.Errorf("the reader held %d errors and counted %d of %d lines; want at most %d held, %d counted of %d",
				listed, errors, lines, records.MaxRejected, n, n)
		}
		res := f.push(f.pusher, f.hj, refusedBatch(n), records.Options{})
		if res.RejectedCount != n || res.RejectedLines != n || res.Lines != n || len(res.Rejected) != records.MaxRejected || res.Applied != 0 {
			t.Errorf("%d errors (%d listed), %d refused lines of %d, %d applied; want %d (%d), %d of %d, 0",
				res.RejectedCount, len(res.Rejected), res.RejectedLines, res.Lines, res.Applied, n, records.MaxRejected, n, n)
		}
		for i, le := range res.Rejected {
			if le.Line != i+1 {
				t.Fatalf("error %d is of line %d; want the first %d lines in order", i, le.Line, records.MaxRejected)
			}
		}
	})
}
