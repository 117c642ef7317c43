package sqldb

import (
	"os"
	"path/filepath"
	"testing"
)

// TestWALInUse: a database open in this process holds a lock on its -shm,
// so checkLeftWAL leaves its -wal alone (no quick_check of a live
// database at every command run beside a server); a copy of the files
// that no process has open does not.
func TestWALInUse(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "h.db")
	db, err := Open(t.Context(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Write().ExecContext(t.Context(), `CREATE TABLE t (x); INSERT INTO t VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	if !walInUse(path) {
		t.Errorf("walInUse of a database open in this process: false")
	}
	copied := filepath.Join(dir, "c.db")
	for _, suffix := range []string{"", "-wal", "-shm"} {
		b, err := os.ReadFile(path + suffix)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(copied+suffix, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if walInUse(copied) {
		t.Errorf("walInUse of a copy no process has open: true")
	}
	if walInUse(filepath.Join(dir, "none.db")) {
		t.Errorf("walInUse without a -shm: true")
	}
}
