package sqldbtest

import (
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// WaitsForWriter runs run while another transaction holds db's writer on
// SQLite, or EXCLUSIVE locks on tables on PostgreSQL, and reports whether
// run waited for it: on SQLite a wait of the write pool, on PostgreSQL a
// session waiting for a lock (LockWaits). When run waits, the holder lets
// go so that run ends; WaitsForWriter returns once both have, with run's
// error. A pass meant to take no write transaction when it has nothing to
// write must not wait.
func WaitsForWriter(t *testing.T, db *sqldb.DB, tables string, run func() error) (waited bool, err error) {
	t.Helper()
	ctx := t.Context()
	waits := func() int64 {
		if db.Dialect == sqldb.SQLite {
			return db.Pools()["write"].Stats().WaitCount
		}
		n, err := LockWaits(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		return int64(n)
	}
	held, release := make(chan struct{}), make(chan struct{})
	holder := make(chan error, 1)
	go func() {
		holder <- db.Tx(ctx, func(tx *sqldb.Tx) error {
			defer close(held)
			if tx.Dialect == sqldb.Postgres {
				if _, err := tx.ExecContext(ctx, `LOCK TABLE `+tables+` IN EXCLUSIVE MODE`); err != nil {
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
	done := make(chan error, 1)
	go func() { done <- run() }()
wait:
	for {
		select {
		case err = <-done:
			break wait
		default:
		}
		if waits() > base {
			waited = true
			close(release)
			release = nil
			err = <-done
			break
		}
		time.Sleep(time.Millisecond)
	}
	if release != nil {
		close(release)
	}
	if herr := <-holder; herr != nil {
		t.Fatal(herr)
	}
	return waited, err
}
