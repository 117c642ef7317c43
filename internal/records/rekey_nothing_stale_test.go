package records_test

import (
	"testing"
	"time"

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

		// The transactions waiting: for the writer on SQLite, for a lock
		// on PostgreSQL.
		waits := func() int64 {
			if db.Dialect == sqldb.SQLite {
				return db.Pools()["write"].Stats().WaitCount
			}
			n, err := sqldbtest.LockWaits(f.ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			return int64(n)
		}
		held, release := make(chan struct{}), make(chan struct{})
		holder := make(chan error, 1)
		go func() {
			holder <- db.Tx(f.ctx, func(tx *sqldb.Tx) error {
				defer close(held)
				if tx.Dialect == sqldb.Postgres {
					if _, err := tx.ExecContext(f.ctx, `LOCK TABLE record_entry_stats, record_item_keys,
						record_discrepancies IN EXCLUSIVE MODE`); err != nil {
						return err
					}
				}
				held <- struct{}{}
				<-release
				return nil
			})
		}()
		<-held
		base := waits()
		type result struct {
			res records.RekeyResult
			err error
		}
		done := make(chan result, 1)
		go func() {
			res, err := records.RekeyItems(f.ctx, db, f.pusher.Actor, f.receivedAt, nil)
			done <- result{res, err}
		}()
		var r result
	wait:
		for {
			select {
			case r = <-done:
				break wait
			default:
			}
			if waits() > base {
				t.Error("RekeyItems with nothing stale waited for a write transaction")
				close(release)
				release = nil
				r = <-done
				break
			}
			time.Sleep(time.Millisecond)
		}
		if release != nil {
			close(release)
		}
		if err := <-holder; err != nil {
			t.Fatal(err)
		}
		if r.err != nil || r.res.Changed() {
			t.Errorf("RekeyItems with nothing stale: %+v, %v; want nothing changed", r.res, r.err)
		}
	})
}
