//go:build unix

package backup_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/hutong-gov/hutong/internal/backup"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestBackupMode: a backup holds citizen IDs and password hashes, so it is
// readable by its owner only (0600) whatever the umask, on both engines.
func TestBackupMode(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, err := sqldb.Open(t.Context(), dsn, sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		out := filepath.Join(t.TempDir(), "b")
		res, err := backup.Run(t.Context(), db, dsn, out, nil)
		if err != nil {
			t.Fatal(err)
		}
		if perm := fileMode(t, res.Path); perm != 0o600 {
			t.Errorf("backup %s has mode %v, want 0600", res.Path, perm)
		}
	})
}

func fileMode(t *testing.T, path string) os.FileMode {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Mode().Perm()
}
