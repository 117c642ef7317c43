package sqldb

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSQLiteOpenCause: SQLite says "unable to open database file" for a
// folder that cannot be written (where -wal and -shm are made), a file
// that cannot be read and a path that is a folder alike, and Open said
// 目录不存在或无权限 or 无写入权限 for each, naming the wrong cause. Each
// cause is said as such. The file system's states are injected here, so
// that the words are checked as root too, where permission bits do not
// bind (CI runs as root); TestSQLiteOpenCauseOnDisk makes them on disk.
func TestSQLiteOpenCause(t *testing.T) {
	denied := &fs.PathError{Op: "open", Path: "x", Err: fs.ErrPermission}
	for _, c := range []struct {
		name string
		st   fileState
		want string
	}{
		{"no folder", fileState{dirErr: fs.ErrNotExist}, "目录 /srv/hutong 不存在"},
		{"folder closed", fileState{dirErr: denied}, "无权访问目录 /srv/hutong"},
		{"a folder", fileState{isDir: true}, "该路径是目录，不是数据库文件"},
		{"file unreadable", fileState{readErr: denied, writeErr: denied, mkErr: denied}, "无权读取数据库文件"},
		{"-wal unreadable", fileState{sideErr: denied}, "无权读写数据库旁的 -wal 或 -shm 文件"},
		{"folder read-only", fileState{mkErr: denied}, "目录 /srv/hutong 不可写：SQLite 须在数据库文件旁建立 -wal 和 -shm 文件"},
		{"folder read-only, no file", fileState{missing: true, mkErr: denied}, "目录 /srv/hutong 不可写，无法在其中建立数据库文件"},
		{"file read-only", fileState{writeErr: denied}, "无权写入数据库文件"},
		{"nothing wrong", fileState{}, ""},
	} {
		c.st.path = "/srv/hutong/hutong.db"
		if got := c.st.cause(); (c.want == "") != (got == "") || !strings.HasPrefix(got, c.want) {
			t.Errorf("%s: got %q, want %q…", c.name, got, c.want)
		}
	}
}

// TestSQLiteOpenCauseOnDisk opens databases the file system refuses, each
// with its cause: a folder named as the database (as root too), and, not
// as root, where permission bits do not bind, a folder that cannot be
// written and a file that cannot be read.
func TestSQLiteOpenCauseOnDisk(t *testing.T) {
	open := func(path string) string {
		t.Helper()
		db, err := Open(context.Background(), path, Options{})
		if err == nil {
			db.Close()
			return ""
		}
		return err.Error()
	}
	dir := t.TempDir()
	if got := open(dir); !strings.Contains(got, "该路径是目录，不是数据库文件") {
		t.Errorf("-db naming a folder: got %q", got)
	}
	if os.Geteuid() == 0 {
		t.Skip("running as root: permission bits do not bind root, so a read-only folder or an unreadable file opens; TestSQLiteOpenCause checks their words")
	}
	made := func(name string) string {
		t.Helper()
		p := filepath.Join(t.TempDir(), name)
		db, err := Open(context.Background(), p, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		db.Close()
		return p
	}
	ro := made("ro.db")
	if err := os.Chmod(filepath.Dir(ro), 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(filepath.Dir(ro), 0o755) })
	if got := open(ro); !strings.Contains(got, "不可写：SQLite 须在数据库文件旁建立 -wal 和 -shm 文件") {
		t.Errorf("read-only folder: got %q", got)
	}
	unreadable := made("unreadable.db")
	if err := os.Chmod(unreadable, 0o200); err != nil {
		t.Fatal(err)
	}
	if got := open(unreadable); !strings.Contains(got, "无权读取数据库文件") {
		t.Errorf("unreadable file: got %q", got)
	}
}
