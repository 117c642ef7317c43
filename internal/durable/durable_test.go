package durable

import (
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
