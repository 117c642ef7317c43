package records_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRekeyItemsNothingStale: a pass of RekeyItems over entries and
// discrepancies whose item keys are all fresh, a chunk of one at a time,
// takes no write transaction: it completes, changing nothing, while
// another transaction holds SQLite's one writer (on PostgreSQL, locks on
// the counters, keys and discrepancies that a rewrite would wait for),
// without waiting. Before, every chunk was read in a write transaction,
// which on SQLite held the writer at every hourly pass (here: waited for
// it).
func TestRekeyItemsNothingStale(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		lookAlikeItems(t, f, recordstest.CitizenID(1), recordstest.CitizenID(2))
		if res := f.rekey(); !res.Changed() {
			t.Fatalf("the first rekey changed nothing: %+v", res)
		}
		records.SetRekeyChunk(t, 1)

		var r struct {
			res records.RekeyResult
			err error
		}
		waited, err := sqldbtest.WaitsForWriter(t, db, "record_entry_stats, record_item_keys, record_discrepancies", func() (err error) {
			r.res, err = records.RekeyItems(f.ctx, db, f.pusher.Actor, f.receivedAt, nil)
			return err
		})
		if waited {
			t.Error("RekeyItems with nothing stale waited for a write transaction")
		}
		r.err = err
		if r.err != nil || r.res.Changed() {
			t.Errorf("RekeyItems with nothing stale: %+v, %v; want nothing changed", r.res, r.err)
		}
	})
}
