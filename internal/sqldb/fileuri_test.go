package sqldb_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// TestOpenPathNeedingEscapes opens a SQLite file whose name holds
// characters that mean something in a file: URI: the file is created under
// that very name, nothing else appears, and the connection settings apply.
func TestOpenPathNeedingEscapes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "d#x%41 南海")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "h?.db")
	db, err := sqldb.Open(t.Context(), path, sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Write().ExecContext(t.Context(), `CREATE TABLE t (x INTEGER)`); err != nil {
		t.Fatal(err)
	}
	var journal string
	var fk int
	if err := db.Read().QueryRowContext(t.Context(), `PRAGMA journal_mode`).Scan(&journal); err != nil || journal != "wal" {
		t.Errorf("journal_mode %q, %v; want wal", journal, err)
	}
	if err := db.Read().QueryRowContext(t.Context(), `PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign_keys %d, %v; want 1", fk, err)
	}
	if db.Source != path {
		t.Errorf("Source = %q, want %q", db.Source, path)
	}
	var names []string
	for _, d := range []string{filepath.Dir(dir), dir} {
		entries, err := os.ReadDir(d)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			names = append(names, filepath.Join(d, e.Name()))
		}
	}
	want := []string{dir, path, path + "-shm", path + "-wal"}
	if !slices.Equal(names, want) {
		t.Errorf("files %q, want %q", names, want)
	}
}
