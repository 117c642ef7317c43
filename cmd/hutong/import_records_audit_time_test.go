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
// (docs/keys.md), and keeps the command's start as the batch's received_at.
// The entry's row is held locked (on SQLite, the one writer) while the
// command waits to apply its batch; the row is written after the lock is
// let go, and is dated after the moment before that. Until 2026-12-06 the
// row was dated at the command's start, as received_at. On both engines.
func TestImportRecordsAuditDatedWhenWritten(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, vars := openRecordsDB(t, dsn)
		ctx := context.Background()
		entry := recordstest.Entry(t, db, recordstest.Department(t, db, "公安分局", 1), hujiSpec)
		in := opsFile(t, addLine(recordstest.CitizenID(1), "张三"))

		held, release, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
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
		// clock for the batch's arrival.
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
		close(release)
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
		if !received.Before(before) {
			t.Errorf("batch received at %s, want the command's start, before %s", received.Format(time.RFC3339Nano), before.Format(time.RFC3339Nano))
		}
		if at.Before(before) {
			t.Errorf("records.batch row dated %s, want when written, after %s (received %s)", at.Format(time.RFC3339Nano),
				before.Format(time.RFC3339Nano), received.Format(time.RFC3339Nano))
		}
	})
}

// waitBlocked returns once a command that has asked for USER is waiting
// for a lock held in db: on PostgreSQL when pg_locks shows a lock not
// granted; on SQLite, whose wait for the writer cannot be seen, after a
// pause. The pause only lets the command read its clock before the test
// reads its own: a command that dates its row when written passes however
// long it is.
func waitBlocked(t *testing.T, db *sqldb.DB) {
	t.Helper()
	if db.Dialect != sqldb.Postgres {
		time.Sleep(200 * time.Millisecond)
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
