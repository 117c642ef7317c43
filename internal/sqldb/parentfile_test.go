package sqldb_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// TestOpenParentIsFile: a database path whose folder is a file
// (afile/x.db) is said to have a file where its folder should be, not
// taken for a file that may not be read (无权读取数据库文件).
func TestOpenParentIsFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "afile")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(file, "x.db")
	db, err := sqldb.Open(t.Context(), path, sqldb.Options{})
	if err == nil {
		db.Close()
	}
	want := "无法打开数据库 " + path + "：" + file + " 是文件，不是目录"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Open(%q): %v; want %s…", path, err, want)
	}
}
