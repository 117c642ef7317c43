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

// held applies lines to entry in a transaction that stays open while
// during runs, then commits it: a push under way while something else
// happens.
func (f *fixture) held(by records.Pusher, entry int64, lines string, during func()) {
	f.t.Helper()
	var res records.BatchResult
	err := f.db.Tx(f.ctx, func(tx *sqldb.Tx) error {
		var err error
		res, err = records.Ingest(sqldb.WithTx(f.ctx, tx), f.db, by, entry, records.JSONLines(strings.NewReader(lines)),
			f.receivedAt, records.Options{})
		if err != nil || res.Applied != 1 {
			return err
		}
		during()
		return nil
	})
	if err != nil || res.Applied != 1 {
		f.t.Fatalf("push held open: %+v, %v", res, err)
	}
}

// blocked returns a function that waits until n more transactions (beyond
// those waiting when blocked was called) wait: on PostgreSQL for a lock in
// the test's database, on SQLite for the one writer.
func (f *fixture) blocked() func(n int) {
	f.t.Helper()
	if f.db.Dialect == sqldb.SQLite {
		w := f.db.Pools()["write"]
		base := w.Stats().WaitCount
		return func(n int) {
			for w.Stats().WaitCount < base+int64(n) {
				time.Sleep(time.Millisecond)
			}
		}
	}
	return func(n int) {
		for waiting := 0; waiting < n; {
			time.Sleep(time.Millisecond)
			var err error
			if waiting, err = sqldbtest.LockWaits(f.ctx, f.db); err != nil {
				f.t.Error(err)
				return
			}
		}
	}
}

// TestSweepAfterPushBetweenReadAndWrite: a sweep that read a page before a
// push committed and writes after it does not undo the push's comparison.
// 户籍 holds 张三 and 社保 李四, a discrepancy open; the sweep reads the
// page; 户籍 pushes 李四, which closes it. The sweep used to write what it
// had read, opening a new discrepancy of 张三 and 李四 between two records
// of 李四.
func TestSweepAfterPushBetweenReadAndWrite(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		s := recordstest.CitizenID(1)
		f.push(f.pusher, f.hj, line("add", s, monday, map[string]string{"姓名": "张三"}, ""), records.Options{})
		f.push(f.rsjPusher, f.sb, line("add", s, monday, map[string]string{"姓名": "李四"}, ""), records.Options{})
		if n := len(f.live(s)); n != 1 {
			t.Fatalf("%d discrepancies, want 1", n)
		}
		type swept struct {
			res records.SweepResult
			err error
		}
		sweep, locked := make(chan swept, 1), make(chan error, 1)
		blocked := f.blocked()
		f.held(f.pusher, f.hj, line("change", s, monday.Add(time.Minute), map[string]string{"姓名": "李四"}, ""), func() {
			waiting := 1 // the sweep
			if db.Dialect == sqldb.Postgres {
				// A lock of the discrepancies, queued behind the push,
				// queues the sweep's first read of them behind it: the
				// sweep reads its page now and the discrepancies once the
				// push has committed, as it may when it reads its page just
				// before a push commits.
				go func() {
					locked <- db.Tx(f.ctx, func(tx *sqldb.Tx) error {
						_, err := tx.ExecContext(f.ctx, `LOCK TABLE record_discrepancies IN ACCESS EXCLUSIVE MODE`)
						return err
					})
				}()
				blocked(1)
				waiting++
			} else {
				locked <- nil
			}
			go func() {
				res, err := records.Sweep(f.ctx, db, nil, f.pusher.Actor, f.receivedAt)
				sweep <- swept{res, err}
			}()
			blocked(waiting)
		})
		if err := <-locked; err != nil {
			t.Fatal(err)
		}
		got := <-sweep
		if got.err != nil {
			t.Fatal(got.err)
		}
		if l := f.live(s); len(l) != 0 || got.res.Found != 0 {
			t.Errorf("sweep %+v, discrepancies %+v; want none: both records hold 李四", got.res, l)
		}
	})
}
