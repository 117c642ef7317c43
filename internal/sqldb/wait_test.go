package sqldb_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// waitBound is the wait bound the tests open their databases with.
const waitBound = 200 * time.Millisecond

// hangAfter is how long a test lets transactions waiting behind a lock
// take before it fails them as hanging: far above waitBound, and below
// SQLite's busy timeout (10 s), which ended a wait for another process's
// write lock before.
const hangAfter = 8 * time.Second

// openBounded opens dsn with the wait bound waitBound and creates a table
// wait_probe, which the tests write to.
func openBounded(t *testing.T, dsn string) *sqldb.DB {
	t.Helper()
	db, err := sqldb.Open(t.Context(), dsn, sqldb.Options{WaitTimeout: waitBound})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Write().ExecContext(t.Context(), `CREATE TABLE wait_probe (n INTEGER NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	return db
}

// refusedWhileHeld runs writers transactions that each write a row of
// wait_probe and then the audit head, while held holds what they wait
// for, and checks that each is refused as the database unavailable
// (database_unavailable, 503) before the holder lets go — within about
// one wait bound each, not one after another — and that none wrote
// anything; then that a write passes (retried while it outlasts the
// short bound with nothing held, as on a loaded machine).
func refusedWhileHeld(t *testing.T, db *sqldb.DB, writers int, release func()) {
	t.Helper()
	ctx := context.Background()
	errc := make(chan error, writers)
	for i := range writers {
		go func() {
			errc <- db.Tx(ctx, func(tx *sqldb.Tx) error {
				if _, err := tx.ExecContext(ctx, `INSERT INTO wait_probe (n) VALUES ($1)`, i); err != nil {
					return err
				}
				_, err := tx.ExecContext(ctx, `UPDATE audit_head SET seq = seq WHERE id = 1`)
				return err
			})
		}()
	}
	hang := time.After(hangAfter)
	for range writers {
		select {
		case err := <-errc:
			if u := sqldb.Unavailable(err); u == nil || u.Code != "database_unavailable" {
				t.Errorf("a write waiting for a held lock: %v, want database_unavailable", err)
			}
		case <-hang:
			release()
			t.Fatal("writes still wait for the lock held, past their wait bound")
		}
	}
	release()
	var n int
	if err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM wait_probe`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d rows written by the writes refused", n)
	}
	if err := sqldbtest.RetryWaits(func() error {
		return db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO wait_probe (n) VALUES (1)`)
			return err
		})
	}); err != nil {
		t.Fatalf("a write once the lock is let go: %v", err)
	}
}

// TestTxWaitBounded: a transaction waiting for what another holds — on
// PostgreSQL a table another session locked (a LOCK TABLE … ACCESS
// EXCLUSIVE, as an administrator's), on SQLite the one writer that a
// transaction of the process holds (a long import) — is refused
// database_unavailable once its wait bound has passed, while the lock is
// still held, where it waited for as long as the lock was held; six of
// them at once are each refused so, not one after another.
func TestTxWaitBounded(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db := openBounded(t, dsn)
		release := sqldbtest.HoldWrite(t, db, "audit_head")
		refusedWhileHeld(t, db, 6, release)
	})
}

// TestTxWaitBoundedOtherProcess: on SQLite, transactions waiting for the
// write lock another process holds (an external BEGIN IMMEDIATE) are each
// refused database_unavailable after about one wait bound, while it is
// still held, where each waited the busy timeout (10 s) in turn: the
// sixth answered after a minute. On PostgreSQL, a stalled session holding
// audit_head's row.
func TestTxWaitBoundedOtherProcess(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db := openBounded(t, dsn)
		driver, lock := "sqlite", `BEGIN IMMEDIATE`
		if db.Dialect == sqldb.Postgres {
			driver, lock = "pgx", `BEGIN; SELECT 1 FROM audit_head WHERE id = 1 FOR UPDATE`
		}
		release := sqldbtest.HoldElsewhere(t, driver, dsn, lock)
		defer release()
		refusedWhileHeld(t, db, 6, release)
	})
}

// TestLockTimeoutSetOnConnect: on PostgreSQL the wait bound is each
// session's lock_timeout, set once it has connected (a SET, source
// "session"), not sent as a startup parameter (source "client"), which a
// pooler such as PgBouncer refuses unless configured to ignore it
// (unsupported startup parameter); a DSN's own lock_timeout is kept.
func TestLockTimeoutSetOnConnect(t *testing.T) {
	u, err := url.Parse(sqldbtest.PostgresDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	own := *u
	q := own.Query()
	q.Set("lock_timeout", "3s")
	own.RawQuery = q.Encode()
	for _, c := range []struct {
		dsn, setting, source string
	}{
		{u.String(), "200", "session"},
		{own.String(), "3000", "client"},
	} {
		db, err := sqldb.Open(t.Context(), c.dsn, sqldb.Options{WaitTimeout: waitBound})
		if err != nil {
			t.Fatal(err)
		}
		var setting, source string
		err = db.Read().QueryRowContext(t.Context(), `SELECT setting, source FROM pg_settings WHERE name = 'lock_timeout'`).Scan(&setting, &source)
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
		if setting != c.setting || source != c.source {
			t.Errorf("%s: lock_timeout %s ms set by %s, want %s ms by %s", sqldb.Redact(c.dsn), setting, source, c.setting, c.source)
		}
	}
}
