package main

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestWriteFileSyncFails: a folder that fails to sync once the new file is
// named is said in Chinese, naming the file, which is in place, and so is
// the system's reason (durable.WriteReason), where it kept its English
// ("input/output error").
func TestWriteFileSyncFails(t *testing.T) {
	old := syncDir
	syncDir = func(dir string) error { return &fs.PathError{Op: "sync", Path: dir, Err: syscall.EIO} }
	t.Cleanup(func() { syncDir = old })
	out := filepath.Join(t.TempDir(), "out.csv")
	err := writeFileAtomic(out, false, func(w io.Writer) error {
		_, err := io.WriteString(w, "a,b\n")
		return err
	})
	if err == nil || err.Error() != "已写入 "+out+"，但无法将其同步到磁盘：输入输出错误（磁盘或文件系统故障）" {
		t.Errorf("folder not synced: %v", err)
	}
	if b, err := os.ReadFile(out); err != nil || string(b) != "a,b\n" {
		t.Errorf("file holds %q, %v", b, err)
	}
}
