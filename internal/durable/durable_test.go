package durable

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func TestSyncDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a"), []byte("a"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := SyncFile(filepath.Join(dir, "a")); err != nil {
		t.Errorf("SyncFile: %v", err)
	}
	if err := SyncDir(dir); err != nil {
		t.Errorf("SyncDir: %v", err)
	}
	if err := SyncDir(filepath.Join(dir, "missing")); err == nil {
		t.Error("SyncDir of a missing folder: no error")
	}
}

// A folder fsync refused as unsupported is not a failure; other errors are.
func TestCannotSyncDir(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{&fs.PathError{Op: "sync", Path: "/d", Err: syscall.EINVAL}, true},
		{&fs.PathError{Op: "sync", Path: "/d", Err: syscall.ENOTSUP}, true},
		{&fs.PathError{Op: "sync", Path: "/d", Err: syscall.EOPNOTSUPP}, true},
		{&fs.PathError{Op: "sync", Path: "/d", Err: syscall.EIO}, false},
		{&fs.PathError{Op: "sync", Path: "/d", Err: syscall.ENOSPC}, false},
		{nil, false},
	} {
		if got := cannotSyncDir(tc.err); got != tc.want {
			t.Errorf("cannotSyncDir(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}

// Reason drops the operation and paths of a *fs.PathError and of a
// *os.LinkError (a rename or link, which names the temporary file too).
func TestReason(t *testing.T) {
	for _, err := range []error{
		&fs.PathError{Op: "write", Path: "/d/.x.partial-1", Err: syscall.EIO},
		&os.LinkError{Op: "rename", Old: "/d/.x.partial-1", New: "/d/x", Err: syscall.EIO},
	} {
		if got := Reason(err); got != syscall.EIO {
			t.Errorf("Reason(%v) = %v; want %v", err, got, syscall.EIO)
		}
	}
}

// TestWriteFailed: a write, link or rename that failed for want of space,
// with an I/O error or on a file larger than the system allows is said in
// Chinese, naming the file written and not the temporary file the error
// names; another reason is the system's, without operation and paths.
func TestWriteFailed(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.csv")
	tmp := filepath.Join(dir, ".x.csv.partial-1")
	for _, tc := range []struct {
		errno syscall.Errno
		want  string
	}{
		{syscall.ENOSPC, "磁盘空间不足"},
		{syscall.EIO, "输入输出错误（磁盘或文件系统故障）"},
		{syscall.EFBIG, "文件超过系统允许的大小"},
		{syscall.EACCES, syscall.EACCES.Error()},
	} {
		for _, err := range []error{
			&fs.PathError{Op: "write", Path: tmp, Err: tc.errno},
			&os.LinkError{Op: "rename", Old: tmp, New: path, Err: tc.errno},
			fmt.Errorf("write workbook: %w", &fs.PathError{Op: "write", Path: tmp, Err: tc.errno}),
		} {
			if got, want := WriteFailed("备份", path, err).Error(), "无法写入备份 "+path+"："+tc.want; got != want {
				t.Errorf("WriteFailed(%v) = %q; want %q", err, got, want)
			}
		}
	}
}
