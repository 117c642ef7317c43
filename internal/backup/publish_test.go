package backup_test

import (
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/backup"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestBackupWithoutHardLinks backs up, on each engine, to a folder whose
// file system refuses hard links as FAT (EPERM) and others (ENOTSUP,
// ENOSYS, EXDEV) do: the copy is renamed into place, whole, and the
// temporary file is gone. A file that appears under the name meanwhile is
// not overwritten, and a rename that fails leaves no file under the name;
// both, and a link that fails otherwise, are said in Chinese, the
// system's reason too (durable.WriteReason), where an I/O error kept its
// English.
func TestBackupWithoutHardLinks(t *testing.T) {
	openedDSNs(t, func(t *testing.T, dsn string, db *sqldb.DB) {
		ctx := t.Context()
		refuse := func(errno syscall.Errno) func(string, string) error {
			return func(old, new string) error { return &os.LinkError{Op: "link", Old: old, New: new, Err: errno} }
		}
		for _, errno := range []syscall.Errno{syscall.EPERM, syscall.ENOTSUP, syscall.ENOSYS, syscall.EXDEV} {
			dir := t.TempDir()
			out := filepath.Join(dir, backup.DefaultName(db.Dialect, time.Now()))
			backup.SetLinkRename(t, refuse(errno), os.Rename)
			res, err := backup.Run(ctx, db, dsn, out, nil)
			if err != nil {
				t.Fatalf("%v: %v", errno, err)
			}
			if _, err := backup.Verify(ctx, out); err != nil {
				t.Errorf("%v: %v", errno, err)
			}
			if fi, err := os.Stat(out); err != nil || fi.Size() != res.Bytes || res.Bytes == 0 {
				t.Errorf("%v: backup of %d bytes: %v, %v", errno, res.Bytes, fi, err)
			}
			if names := dirNames(t, dir); !slices.Equal(names, []string{filepath.Base(out)}) {
				t.Errorf("%v: folder holds %q", errno, names)
			}
		}

		// Someone else's file appears under the name while the copy is made.
		dir := t.TempDir()
		out := filepath.Join(dir, "b")
		backup.SetLinkRename(t, func(old, new string) error {
			if err := os.WriteFile(new, []byte("theirs"), 0o644); err != nil {
				t.Fatal(err)
			}
			return refuse(syscall.EPERM)(old, new)
		}, os.Rename)
		if _, err := backup.Run(ctx, db, dsn, out, nil); err == nil || err.Error() != out+" 已存在：备份从不覆盖已有文件，请另选文件名" {
			t.Errorf("file appeared meanwhile: %v", err)
		}
		if b, _ := os.ReadFile(out); string(b) != "theirs" {
			t.Errorf("file appeared meanwhile now holds %d bytes", len(b))
		}
		if names := dirNames(t, dir); !slices.Equal(names, []string{"b"}) {
			t.Errorf("folder holds %q", names)
		}

		// The rename fails.
		dir = t.TempDir()
		out = filepath.Join(dir, "b")
		backup.SetLinkRename(t, refuse(syscall.EPERM), func(old, new string) error {
			return &os.LinkError{Op: "rename", Old: old, New: new, Err: syscall.EIO}
		})
		if _, err := backup.Run(ctx, db, dsn, out, nil); err == nil || err.Error() != "无法将备份保存为 "+out+"：输入输出错误（磁盘或文件系统故障）" {
			t.Errorf("rename failed: %v", err)
		}
		if names := dirNames(t, dir); len(names) != 0 {
			t.Errorf("after a failed rename the folder holds %q", names)
		}

		// The link fails for another reason: no fallback.
		backup.SetLinkRename(t, refuse(syscall.EIO), func(old, new string) error {
			t.Errorf("renamed %s to %s", old, new)
			return nil
		})
		if _, err := backup.Run(ctx, db, dsn, out, nil); err == nil || err.Error() != "无法将备份保存为 "+out+"：输入输出错误（磁盘或文件系统故障）" {
			t.Errorf("link failed: %v", err)
		}
		if names := dirNames(t, dir); len(names) != 0 {
			t.Errorf("after a failed link the folder holds %q", names)
		}
	})
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// openedDSNs runs fn on each engine with a migrated database's DSN and
// that database opened, closing it when fn returns.
func openedDSNs(t *testing.T, fn func(t *testing.T, dsn string, db *sqldb.DB)) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, err := sqldb.Open(t.Context(), dsn, sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		fn(t, dsn, db)
	})
}
