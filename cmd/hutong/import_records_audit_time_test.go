package main

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/testlog"
)

// TestImportRecordsAuditDatedWhenWritten: hutong import records dates its
// batch's records.batch audit row when it writes it, as the API does
// (docs/keys.md), after the batch's received_at, which the command reads
// before it applies the batch. The entry's row is held locked (on SQLite,
// the one writer) while the command waits to apply its batch; the row is
// written after the lock is let go, and is dated after the moment before
// that. Until 2026-12-06 the row was dated at received_at. On both
// engines.
func TestImportRecordsAuditDatedWhenWritten(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, vars := openRecordsDB(t, dsn)
		ctx := context.Background()
		entry := recordstest.Entry(t, db, recordstest.Department(t, db, "公安分局", 1), hujiSpec)
		in := opsFile(t, addLine(recordstest.CitizenID(1), "张三"))

		held, release, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
		var let sync.Once
		letGo := func() { let.Do(func() { close(release) }) }
		// A failure before the lock is let go must not leave the holder
		// and the command waiting until the package's timeout.
		t.Cleanup(letGo)
		go func() {
			errHeld := errors.New("held")
			err := db.Tx(ctx, func(tx *sqldb.Tx) error {
				if _, err := tx.ExecContext(ctx, `UPDATE catalog_entries SET version = version WHERE id = $1`, entry); err != nil {
					return err
				}
				close(held)
				<-release
				return errHeld
			})
			if !errors.Is(err, errHeld) {
				t.Errorf("hold the entry: %v", err)
				close(held)
			}
		}()
		<-held
		// The command asks for USER (cliActor) just before it reads the
		// clock for the batch's arrival, then waits for the entry's lock.
		asked := make(chan struct{})
		var once sync.Once
		getenv := func(k string) string {
			if k == "USER" {
				once.Do(func() { close(asked) })
			}
			return vars[k]
		}
		var out testlog.Buffer
		go func() {
			done <- run(ctx, []string{"import", "records", "-entry", hujiSpec.Code, "-file", in}, getenv, &out, &out)
		}()
		<-asked
		waitBlocked(t, db)
		before := time.Now().UTC().Truncate(time.Microsecond)
		letGo()
		if err := <-done; err != nil {
			t.Fatalf("hutong import records: %v\n%s", err, out.String())
		}
		var received, at time.Time
		if err := db.Read().QueryRowContext(ctx, `SELECT received_at FROM record_batches`).Scan(&received); err != nil {
			t.Fatal(err)
		}
		if err := db.Read().QueryRowContext(ctx, `SELECT at FROM audit_log WHERE action = 'records.batch'`).Scan(&at); err != nil {
			t.Fatal(err)
		}
		if !received.Before(at) {
			t.Errorf("records.batch row dated %s, want when written, after the batch's received_at %s", at.Format(time.RFC3339Nano),
				received.Format(time.RFC3339Nano))
		}
		if at.Before(before) {
			t.Errorf("records.batch row dated %s, want when written, after %s (received %s)", at.Format(time.RFC3339Nano),
				before.Format(time.RFC3339Nano), received.Format(time.RFC3339Nano))
		}
	})
}

// waitBlocked returns, on PostgreSQL, once pg_locks shows a lock not
// granted, as a command that has asked for USER waits for one held in db;
// on SQLite, whose wait for the writer cannot be seen, at once. No
// assertion depends on it: the row cannot be written before the lock is
// let go, and is dated after received_at however the command and the test
// interleave.
func waitBlocked(t *testing.T, db *sqldb.DB) {
	t.Helper()
	if db.Dialect != sqldb.Postgres {
		return
	}
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		var n int
		if err := db.Read().QueryRowContext(context.Background(), `SELECT count(*) FROM pg_locks WHERE NOT granted`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
	}
	t.Fatal("the command never waited for the entry's lock")
}
