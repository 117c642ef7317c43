package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/testlog"
)

// TestServeMissingFolder: serve on a database whose folder does not exist
// says to create the folder before hutong migrate, which would otherwise
// fail with 目录不存在; on one whose folder is a file, that it is a file.
func TestServeMissingFolder(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "afile")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		filepath.Join(dir, "nodir", "x.db"): "目录 " + filepath.Join(dir, "nodir") + " 不存在：请先建立该目录（mkdir -p " + filepath.Join(dir, "nodir") + "），再新建数据库：hutong migrate -db ",
		filepath.Join(file, "x.db"):         file + " 是文件，不是目录",
	} {
		var out testlog.Buffer
		err := run(t.Context(), []string{"serve", "-db", path, "-addr", "127.0.0.1:0"}, func(string) string { return "" }, &out, &out)
		if err == nil || !strings.Contains(message(err), want) {
			t.Errorf("serve -db %s: %v; want …%s…", path, err, want)
		}
	}
}
