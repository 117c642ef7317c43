package records_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestBatchSummaryUnchanged: a batch's stored summary (Batch, Batches, the
// replay under its Idempotency-Key) counts its unchanged changes apart
// from its duplicates, as the push's own answer does, where it reported
// unchanged 0 and counted them among the duplicates.
func TestBatchSummaryUnchanged(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		a, b, c := recordstest.CitizenID(1), recordstest.CitizenID(2), recordstest.CitizenID(3)
		first := line("add", a, monday, map[string]string{"姓名": "甲"}, "k1") + line("add", b, monday, map[string]string{"姓名": "乙"}, "k2")
		if res := f.push(f.pusher, f.hj, first, records.Options{}); res.Applied != 2 {
			t.Fatalf("first batch: %+v", res)
		}
		second := first + // two duplicates
			line("change", a, monday, map[string]string{"姓名": "甲"}, "k3") + // unchanged
			line("add", c, monday, map[string]string{"姓名": "丙"}, "k4") // applied
		res := f.push(f.pusher, f.hj, second, records.Options{BatchKey: "second"})
		want := func(name string, applied, dups, unchanged, lines int) {
			t.Helper()
			if applied != 1 || dups != 2 || unchanged != 1 || (lines != 0 && lines != 4) {
				t.Errorf("%s: applied %d, duplicates %d, unchanged %d, lines %d; want 1, 2, 1, 4", name, applied, dups, unchanged, lines)
			}
		}
		want("the answer", res.Applied, res.Duplicates, res.Unchanged, res.Lines)
		got, _, err := records.Batch(f.ctx, db.Read(), res.BatchID)
		if err != nil {
			t.Fatal(err)
		}
		want("Batch", got.Applied, got.Duplicates, got.Unchanged, got.Lines)
		list, _, err := records.Batches(f.ctx, db.Read(), records.BatchFilter{EntryID: f.hj})
		if err != nil || len(list) != 2 || list[0].BatchID != res.BatchID {
			t.Fatalf("Batches: %+v, %v", list, err)
		}
		want("Batches", list[0].Applied, list[0].Duplicates, list[0].Unchanged, 0)
		replay := f.push(f.pusher, f.hj, second, records.Options{BatchKey: "second"})
		if !replay.Replayed {
			t.Errorf("replay: %+v, want replayed", replay)
		}
		want("the replay", replay.Applied, replay.Duplicates, replay.Unchanged, replay.Lines)
	})
}
