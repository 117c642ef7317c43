package backup_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hutong-gov/hutong/internal/backup"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// TestVerifyWALFileUnchanged: -verify of a database in WAL mode (a copy
// of the server's file) reads it without creating -wal or -shm files
// beside it, so it neither changes the folder nor needs to write there.
func TestVerifyWALFileUnchanged(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	path := filepath.Join(dir, "hutong.db")
	db, err := sqldb.Open(ctx, path, sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	seed(t, db)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(path); err != nil || b[18] != 2 || b[19] != 2 {
		t.Fatalf("%s is not in WAL mode: %v", path, err)
	}
	if _, err := backup.Verify(ctx, path); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != "hutong.db" {
			t.Errorf("Verify left %s beside the file", e.Name())
		}
	}
}
