package sqldb_test

import (
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// TestNewDatabaseIOError: a new SQLite database that cannot be opened
// for a disk I/O error (here its -wal path is a folder, SQLite's failure
// on a full or failing disk alike) is said with a hint to check the disk,
// not as "disk I/O error (2570)" alone. The empty file Open made for it
// is kept (TestNewDatabaseLockedKept says why), and opens as a new
// database once the disk is mended.
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
	if err := os.Remove(path + "-wal"); err != nil {
		t.Fatal(err)
	}
	db, err := sqldb.Open(t.Context(), path, sqldb.Options{})
	if err != nil {
		t.Fatalf("Open once the -wal folder is gone: %v", err)
	}
	if _, err := db.Migrate(t.Context()); err != nil {
		t.Errorf("Migrate of the file the failed open left: %v", err)
	}
	db.Close()

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

// TestNewDatabaseLockedKept: another connection (a sqlite3 shell, another
// command) that opens the file Open has just created for a new database
// and holds its lock while Open pings it makes Open fail (数据库被其他进程
// 锁定), and the file, still empty as that connection has not committed,
// is kept: the data it then commits is there. Open removed the empty file
// it had created, and the other connection committed into a removed file.
func TestNewDatabaseLockedKept(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.db")
	var other *sql.DB
	var hold *sql.Conn
	defer sqldb.SetAfterCreate(func(p string) {
		if p != path {
			return
		}
		var err error
		if other, err = sql.Open("sqlite", p); err != nil {
			t.Fatal(err)
		}
		if hold, err = other.Conn(t.Context()); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"BEGIN EXCLUSIVE", "CREATE TABLE precious (x)", "INSERT INTO precious VALUES ('kept')"} {
			if _, err := hold.ExecContext(t.Context(), q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	})()
	_, err := sqldb.Open(t.Context(), path, sqldb.Options{})
	if err == nil || !strings.Contains(err.Error(), "锁定") {
		t.Fatalf("Open of a new database another connection holds locked: %v; want 锁定", err)
	}
	if hold == nil {
		t.Fatal("Open did not create the file")
	}
	if _, err := hold.ExecContext(t.Context(), "COMMIT"); err != nil {
		t.Fatal(err)
	}
	hold.Close()
	other.Close()
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
		t.Fatalf("the database the other connection committed to: %v, %v", fi, err)
	}
	check, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer check.Close()
	var x string
	if err := check.QueryRowContext(t.Context(), "SELECT x FROM precious").Scan(&x); err != nil || x != "kept" {
		t.Errorf("the other connection's row: %q, %v; want kept", x, err)
	}
}
