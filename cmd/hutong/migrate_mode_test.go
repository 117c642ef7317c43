//go:build unix

package main

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// TestMigrateCreatesPrivateDatabase: hutong migrate creates a new SQLite
// database readable by its owner only (0600) under the usual umask 022,
// since it will hold citizen data; its -wal and -shm files follow.
func TestMigrateCreatesPrivateDatabase(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	path := filepath.Join(t.TempDir(), "h.db")
	mustHutong(t, map[string]string{"HUTONG_DB": path})("migrate")
	db, err := sqldb.Open(t.Context(), path, sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Write().ExecContext(t.Context(), `CREATE TABLE mode_probe (x INTEGER)`); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		st, err := os.Stat(p)
		if err != nil {
			t.Errorf("%s: %v", p, err)
		} else if st.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", p, st.Mode().Perm())
		}
	}
}
