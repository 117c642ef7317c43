package sqldb_test

import (
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// TestSQLiteURI: the SQLite URI of an absolute path in slash form, as
// filepath.ToSlash gives it on each system, has an empty authority, so
// that a Windows UNC path keeps its server name in the path (SQLite refuses
// any authority but localhost), and escapes what would end the path or
// name another byte.
func TestSQLiteURI(t *testing.T) {
	for _, c := range []struct{ path, query, want string }{
		{"/var/lib/hutong/hutong.db", "", "file:///var/lib/hutong/hutong.db"},
		{"/var/lib/hutong/hutong.db", "mode=ro&immutable=1", "file:///var/lib/hutong/hutong.db?mode=ro&immutable=1"},
		{"C:/Users/clerk/hutong.db", "mode=ro", "file:///C:/Users/clerk/hutong.db?mode=ro"},
		{"//nas/share/hutong.db", "", "file:////nas/share/hutong.db"},
		{"//nas/share/hutong.db", "mode=ro", "file:////nas/share/hutong.db?mode=ro"},
		{"C:/Program Files/hutong/hutong.db", "", "file:///C:/Program%20Files/hutong/hutong.db"},
		{"/srv/d#x%41/h?.db", "", "file:///srv/d%23x%2541/h%3F.db"},
		{"//nas/共享 盘/南海.db", "", "file:////nas/%E5%85%B1%E4%BA%AB%20%E7%9B%98/%E5%8D%97%E6%B5%B7.db"},
		{"D:/数据/h#1?.db", "", "file:///D:/%E6%95%B0%E6%8D%AE/h%231%3F.db"},
	} {
		if got := sqldb.SQLiteURI(c.path, c.query); got != c.want {
			t.Errorf("SQLiteURI(%q, %q) = %q, want %q", c.path, c.query, got, c.want)
		}
	}
}

// TestSQLiteURIDoubleSlash opens a database by a path that begins with two
// slashes, as a UNC path does: on Linux //tmp/… is /tmp/…, so SQLite must
// read the whole path, not take its first name for the URI authority.
func TestSQLiteURIDoubleSlash(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "南海 d#x%41")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.ToSlash(filepath.Join(dir, "h?.db"))
	db, err := sql.Open("sqlite", sqldb.SQLiteURI("/"+path, ""))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE t (x INTEGER)`); err != nil {
		t.Fatalf("open /%s: %v", path, err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("the database is not at %s: %v", path, err)
	}
}
