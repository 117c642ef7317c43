package sqldbtest

import (
	"context"
	"database/sql"
	"strings"
	"sync"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// HoldWrite holds what db's writes wait for until the returned function is
// called (or the test ends): on PostgreSQL a transaction of db has locked
// pgTables IN ACCESS EXCLUSIVE MODE, as an administrator's LOCK TABLE
// does; on SQLite a transaction of db holds the one writer, as a long
// import does. release lets go and checks that the holder's transaction
// did not fail; calling it more than once is harmless.
func HoldWrite(t *testing.T, db *sqldb.DB, pgTables ...string) (release func()) {
	t.Helper()
	ctx := context.Background()
	held, done := make(chan struct{}), make(chan struct{})
	holder := make(chan error, 1)
	go func() {
		holder <- db.Tx(ctx, func(tx *sqldb.Tx) error {
			if db.Dialect == sqldb.Postgres {
				if _, err := tx.ExecContext(ctx, `LOCK TABLE `+strings.Join(pgTables, ", ")+` IN ACCESS EXCLUSIVE MODE`); err != nil {
					return err
				}
			}
			close(held)
			<-done
			return nil
		})
	}()
	select {
	case <-held:
	case err := <-holder:
		t.Fatalf("holding the writes of %s: %v", strings.Join(pgTables, ", "), err)
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			close(done)
			if err := <-holder; err != nil {
				t.Error(err)
			}
		})
	}
	t.Cleanup(release)
	return release
}

// HoldElsewhere runs lock (such as `BEGIN IMMEDIATE`, SQLite's write lock)
// on a connection of its own to dsn, opened with driver ("sqlite" or
// "pgx"), as another process would, until the returned function is called
// (or the test ends): release rolls the transaction back; calling it more
// than once is harmless.
func HoldElsewhere(t *testing.T, driver, dsn, lock string) (release func()) {
	t.Helper()
	ctx := context.Background()
	other, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := other.Conn(ctx)
	if err != nil {
		other.Close()
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, lock); err != nil {
		conn.Close()
		other.Close()
		t.Fatal(err)
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			if _, err := conn.ExecContext(ctx, `ROLLBACK`); err != nil {
				t.Error(err)
			}
			conn.Close()
			other.Close()
		})
	}
	t.Cleanup(release)
	return release
}
