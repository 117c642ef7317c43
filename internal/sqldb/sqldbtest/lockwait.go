package sqldbtest

import (
	"context"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// AwaitLockWait waits until a session of db's PostgreSQL database waits
// for a lock (pg_stat_activity), as a test holding a lock awaits the
// transaction it started to block on it; it fails t with msg when none
// does within 30 seconds.
func AwaitLockWait(t testing.TB, db *sqldb.DB, msg string) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		var waiting int
		if err := db.Read().QueryRowContext(context.Background(), `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&waiting); err != nil {
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
