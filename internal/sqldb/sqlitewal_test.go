package sqldb_test

import (
	"bytes"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// copyFile copies the file from to to, as cp does.
func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// serveAndKill opens the SQLite database at path as a server does (WAL
// mode), commits a batch of rows, checkpoints them into the file as the
// server's automatic checkpoint does (the -wal then starts over), commits
// another batch, and copies the file and its -wal and -shm, as a kill -9
// leaves them, to the paths dst, dst-wal and dst-shm. Each batch adds and changes rows of the table pad, which the
// database must have.
func serveAndKill(t *testing.T, path, dst string) {
	t.Helper()
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=wal_autocheckpoint(0)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	raw.SetMaxOpenConns(1)
	for _, q := range []string{
		`INSERT INTO pad SELECT randomblob(300) FROM pad LIMIT 1000`,
		`PRAGMA wal_checkpoint(PASSIVE)`,
		`INSERT INTO pad SELECT randomblob(300) FROM pad LIMIT 500; INSERT INTO pad VALUES ('last')`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	copyFile(t, path, dst)
	copyFile(t, path+"-wal", dst+"-wal")
	copyFile(t, path+"-shm", dst+"-shm")
}

// padded creates a migrated SQLite database at path with a table pad of
// 2,000 rows.
func padded(t *testing.T, path string) {
	t.Helper()
	db, err := sqldb.Open(t.Context(), path, sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Write().ExecContext(t.Context(), `CREATE TABLE pad (x);
		WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 2000) INSERT INTO pad SELECT randomblob(300) FROM c`); err != nil {
		t.Fatal(err)
	}
}

// integrity returns PRAGMA integrity_check's first row for the SQLite file
// at path alone, read-only and without any -wal beside it.
func integrity(t *testing.T, path string) string {
	t.Helper()
	uri, err := sqldb.FileURI(path, "mode=ro&immutable=1")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", uri)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ok string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&ok); err != nil {
		return err.Error()
	}
	return ok
}

// TestLeftWALOfAnotherFileRefused: a server served w.db, a copy of the
// backup nh.db, and was killed with changes in w.db-wal made after a
// checkpoint; the operator copied nh.db over w.db and left the -wal and
// -shm. Opening it (hutong migrate) passed, though SQLite read the copy
// through the -wal, whose pages belong to the file as the checkpoint had
// left it (pages the copy lacks read as zeros): integrity_check failed,
// and the first checkpoint writes them into the copy. It is refused
// before any connection writes, naming the -wal and -shm and the
// restore's step, and the file and the -wal are as they were.
func TestLeftWALOfAnotherFileRefused(t *testing.T) {
	dir := t.TempDir()
	nh := filepath.Join(dir, "nh.db")
	padded(t, nh)
	served := filepath.Join(dir, "served.db")
	copyFile(t, nh, served)
	w := filepath.Join(dir, "w.db")
	serveAndKill(t, served, w)
	copyFile(t, nh, w)
	before, err := os.ReadFile(w)
	if err != nil {
		t.Fatal(err)
	}
	wal, err := os.ReadFile(w + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqldb.Open(t.Context(), w, sqldb.Options{})
	if err == nil {
		_, err = db.Migrate(t.Context())
		db.Close()
	}
	if err == nil || !strings.HasPrefix(err.Error(), "无法打开数据库 "+w+"：它旁边的 "+w+"-wal 和 "+w+"-shm 与它不符") ||
		!strings.Contains(err.Error(), "docs/backup.md 恢复第 2 步") || strings.Contains(err.Error(), "\n") {
		t.Errorf("open beside another file's -wal: %v, want it refused naming %s-wal", err, w)
	}
	if after, err := os.ReadFile(w); err != nil || !bytes.Equal(after, before) {
		t.Errorf("the restored file was changed (%v)", err)
	}
	if after, err := os.ReadFile(w + "-wal"); err != nil || !bytes.Equal(after, wal) {
		t.Errorf("the -wal was changed or removed (%v)", err)
	}
	if ok := integrity(t, w); ok != "ok" {
		t.Errorf("integrity_check of the restored file: %s", ok)
	}
}

// TestLeftWALOfSameFileRecovered: the -wal a killed server left on its own
// file, checkpointed in part, is recovered as before: the file opens, its
// last changes there, and is whole.
func TestLeftWALOfSameFileRecovered(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src.db")
	padded(t, src)
	crashed := filepath.Join(dir, "crashed.db")
	serveAndKill(t, src, crashed)
	db, err := sqldb.Open(t.Context(), crashed, sqldb.Options{})
	if err != nil {
		t.Fatalf("open after a crash: %v", err)
	}
	if _, err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.Read().QueryRowContext(t.Context(), `SELECT count(*) FROM pad WHERE x = 'last'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("the last change in the -wal: %d rows (%v), want 1", n, err)
	}
	db.Close()
	if ok := integrity(t, crashed); ok != "ok" {
		t.Errorf("integrity_check after recovery: %s", ok)
	}
}
