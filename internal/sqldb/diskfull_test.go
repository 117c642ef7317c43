package sqldb_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// TestNewDatabaseIOError: a new SQLite database that cannot be opened
// for a disk I/O error (here its -wal path is a folder, SQLite's failure
// on a full or failing disk alike) is said with a hint to check the disk,
// not as "disk I/O error (2570)" alone, and the empty file Open made for
// it is removed; an existing file is never removed.
func TestNewDatabaseIOError(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.db")
	if err := os.Mkdir(path+"-wal", 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := sqldb.Open(t.Context(), path, sqldb.Options{})
	if err == nil || !strings.HasPrefix(err.Error(), "无法打开数据库 "+path+"：磁盘读写错误") || !strings.Contains(err.Error(), "磁盘") {
		t.Errorf("Open: %v; want 磁盘读写错误 with a hint", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the file Open created for the new database is left behind (%v)", err)
	}

	existing := filepath.Join(dir, "old.db")
	if err := os.WriteFile(existing, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(existing+"-wal", 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := sqldb.Open(t.Context(), existing, sqldb.Options{}); err == nil {
		t.Fatal("Open of old.db: no error")
	}
	if _, err := os.Stat(existing); err != nil {
		t.Errorf("an existing file was removed: %v", err)
	}
}

// TestDiskFullSaid: SQLite's SQLITE_FULL (database or disk is full), here
// from a page limit, is said as 磁盘已满 with what to do
// (sqldb.StorageCause), as the commands print it.
func TestDiskFullSaid(t *testing.T) {
	db, err := sqldb.Open(t.Context(), filepath.Join(t.TempDir(), "x.db"), sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Write().ExecContext(t.Context(), "PRAGMA max_page_count = 1"); err != nil {
		t.Fatal(err)
	}
	_, err = db.Migrate(t.Context())
	if err == nil {
		t.Fatal("Migrate: no error")
	}
	if got := sqldb.StorageCause(err); !strings.HasPrefix(got, "磁盘已满") {
		t.Errorf("StorageCause(%v) = %q, want 磁盘已满…", err, got)
	}
	if got := sqldb.StorageCause(errors.New("other")); got != "" {
		t.Errorf("StorageCause of another error = %q, want none", got)
	}
}
