package sqldbtest

import (
	"context"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// LockWaits returns how many sessions of db's PostgreSQL database wait
// for a lock now (pg_stat_activity).
func LockWaits(ctx context.Context, db *sqldb.DB) (int, error) {
	var n int
	err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity
		WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&n)
	return n, err
}

// AwaitLockWait waits until a session of db's PostgreSQL database waits
// for a lock (pg_stat_activity), as a test holding a lock awaits the
// transaction it started to block on it; it fails t with msg when none
// does within 30 seconds.
func AwaitLockWait(t testing.TB, db *sqldb.DB, msg string) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		waiting, err := LockWaits(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		if waiting > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal(msg)
		}
	}
}

// Waiting returns a function that returns once one more transaction of db
// than when Waiting was called waits: on PostgreSQL for a lock, on SQLite
// for the one writer.
func Waiting(t testing.TB, db *sqldb.DB) func() {
	t.Helper()
	ctx := context.Background()
	if db.Dialect == sqldb.SQLite {
		w := db.Pools()["write"]
		base := w.Stats().WaitCount
		return func() {
			for w.Stats().WaitCount <= base {
				time.Sleep(time.Millisecond)
			}
		}
	}
	count := func() int {
		n, err := LockWaits(ctx, db)
		if err != nil {
			t.Error(err)
			return -1
		}
		return n
	}
	base := count()
	return func() {
		for n := count(); n >= 0 && n <= base; n = count() {
			time.Sleep(time.Millisecond)
		}
	}
}

// Race runs first in a transaction held open until second, started in
// another transaction once first has run, waits for it (for a lock on
// PostgreSQL, for the writer on SQLite), and returns both errors; a first
// that fails ends its transaction at once.
func Race(t testing.TB, db *sqldb.DB, first, second func(ctx context.Context, tx *sqldb.Tx) error) (error, error) {
	t.Helper()
	ctx := context.Background()
	ran, release := make(chan struct{}), make(chan struct{})
	firstErr := make(chan error, 1)
	go func() {
		firstErr <- db.Tx(ctx, func(tx *sqldb.Tx) error {
			err := first(ctx, tx)
			close(ran)
			if err != nil {
				return err
			}
			<-release
			return nil
		})
	}()
	<-ran
	wait := Waiting(t, db)
	secondErr := make(chan error, 1)
	go func() { secondErr <- db.Tx(ctx, func(tx *sqldb.Tx) error { return second(ctx, tx) }) }()
	wait()
	close(release)
	return <-firstErr, <-secondErr
}
