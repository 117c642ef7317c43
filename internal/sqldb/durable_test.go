package sqldb_test

import (
	"path/filepath"
	"runtime"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// TestDurableSettings: a durable SQLite database (serve's) syncs every
// commit (synchronous FULL, 2), and on macOS, whose fsync leaves the commit
// in the drive's cache, with F_FULLFSYNC (fullfsync 1); one that is not
// durable syncs at checkpoints only (NORMAL, 1), without fullfsync.
func TestDurableSettings(t *testing.T) {
	fullfsync := 0
	if runtime.GOOS == "darwin" {
		fullfsync = 1
	}
	for _, c := range []struct {
		durable                bool
		synchronous, fullfsync int
	}{{true, 2, fullfsync}, {false, 1, 0}} {
		db, err := sqldb.Open(t.Context(), filepath.Join(t.TempDir(), "h.db"), sqldb.Options{Durable: c.durable})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var synchronous, full int
		if err := db.Write().QueryRowContext(t.Context(), `SELECT synchronous, fullfsync FROM pragma_synchronous, pragma_fullfsync`).Scan(&synchronous, &full); err != nil {
			t.Fatal(err)
		}
		if synchronous != c.synchronous || full != c.fullfsync {
			t.Errorf("durable %v on %s: synchronous %d, fullfsync %d; want %d, %d", c.durable, runtime.GOOS, synchronous, full, c.synchronous, c.fullfsync)
		}
	}
}
