package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

// TestExportTempSpaceFull: hutong export catalog whose temporary directory
// is full says that this machine's temporary directory, named, is full and
// what its user can do, not that the server's is (服务器临时空间已满…请联系
// 运维人员), which catalogio says for the API and the console. The export
// runs in-process on an OS thread of its own, in a mount namespace of its
// own where TMPDIR is a tmpfs with no inode free; mounting needs root, the
// test is skipped without it.
func TestExportTempSpaceFull(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a full tmpfs for TMPDIR needs root")
	}
	vars := map[string]string{"HUTONG_DB": filepath.Join(t.TempDir(), "h.db")}
	mustHutong(t, vars)("migrate")
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	out := filepath.Join(t.TempDir(), "out.csv")
	type result struct {
		out string
		err error
	}
	done := make(chan []result)
	failed := make(chan error)
	go func() {
		// Never unlocked: the thread, and its mount namespace, end with
		// the goroutine.
		runtime.LockOSThread()
		if err := syscall.Unshare(syscall.CLONE_NEWNS); err != nil {
			failed <- err
			return
		}
		if err := syscall.Mount("", "/", "", syscall.MS_REC|syscall.MS_PRIVATE, ""); err != nil {
			failed <- err
			return
		}
		if err := syscall.Mount("tmpfs", tmp, "tmpfs", 0, "size=64k,nr_inodes=1"); err != nil {
			failed <- err
			return
		}
		var rs []result
		for _, args := range [][]string{{"export", "catalog", "-format", "csv", "-o", "-"}, {"export", "catalog", "-o", out}} {
			var r result
			r.out, r.err = hutong(t, vars, args...)
			rs = append(rs, r)
		}
		done <- rs
	}()
	var rs []result
	select {
	case err := <-failed:
		t.Fatalf("mount a full tmpfs for TMPDIR: %v", err)
	case rs = <-done:
	}
	for i, r := range rs {
		if r.err == nil {
			t.Fatalf("export %d with TMPDIR full succeeded:\n%s", i, r.out)
		}
		said := message(r.err)
		if !strings.Contains(said, "临时目录 "+tmp+" 所在磁盘（或配额）已满") || !strings.Contains(said, "TMPDIR 指向有空间的目录") ||
			strings.Contains(said, "服务器") || !strings.Contains(said, "no space left on device") {
			t.Errorf("export %d with TMPDIR full says %q; want this machine's temporary directory named full, with the cause", i, said)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("export with TMPDIR full left %s: %v", out, err)
	}
}
