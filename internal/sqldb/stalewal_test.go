package sqldb_test

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// staleWAL returns the path of a database restored beside the -wal and
// -shm files of the database it replaced, which a server killed left with
// its last changes not yet checkpointed: SQLite reads the restored file
// through the old -wal's pages, which belong to another file.
func staleWAL(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	old := filepath.Join(dir, "hutong.db")
	db, err := sqldb.Open(t.Context(), old, sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	db.Close()
	// The backup: a compact copy, its pages laid out anew.
	backup := filepath.Join(dir, "backup.db")
	raw, err := sql.Open("sqlite", "file:"+old+"?_pragma=journal_mode(WAL)&_pragma=wal_autocheckpoint(0)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`VACUUM INTO '` + backup + `'`); err != nil {
		t.Fatal(err)
	}
	// The old database's last changes, a schema change among them, left
	// in its -wal by a server killed before a checkpoint.
	if _, err := raw.Exec(`CREATE TABLE late (x); INSERT INTO schema_migrations (name, applied_at) VALUES ('late', '2026-01-01')`); err != nil {
		t.Fatal(err)
	}
	restored := filepath.Join(dir, "restored.db")
	for _, c := range [][2]string{{backup, restored}, {old + "-wal", restored + "-wal"}, {old + "-shm", restored + "-shm"}} {
		b, err := os.ReadFile(c[0])
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(c[1], b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return restored
}

// TestStaleWALSaid: a restored file beside the old database's -wal
// answered "database disk image is malformed (11)", untranslated. It is
// said in Chinese, naming the -wal and -shm files beside it and the
// restore's step that moves them aside (docs/backup.md).
func TestStaleWALSaid(t *testing.T) {
	path := staleWAL(t)
	db, err := sqldb.Open(t.Context(), path, sqldb.Options{})
	if err == nil {
		defer db.Close()
		_, err = db.Migrate(t.Context())
	}
	if err == nil || !strings.Contains(err.Error(), "已损坏") || !strings.Contains(err.Error(), path+"-wal") ||
		!strings.Contains(err.Error(), "docs/backup.md 恢复第 2 步") || strings.HasSuffix(err.Error(), "malformed (11)") {
		t.Errorf("stale -wal: got %v, want it said in Chinese, naming %s-wal", err, path)
	}
}
