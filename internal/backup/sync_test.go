package backup_test

import (
	"io/fs"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/hutong-gov/hutong/internal/backup"
	"github.com/hutong-gov/hutong/internal/durable"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// TestBackupSyncFails: a disk that fails to sync the copy, or its folder
// once the copy is named, is said in Chinese, naming the backup, the
// system's reason too (durable.WriteReason: 磁盘空间不足, where the folder's
// kept "no space left on device").
func TestBackupSyncFails(t *testing.T) {
	openedDSNs(t, func(t *testing.T, dsn string, db *sqldb.DB) {
		ctx := t.Context()
		fail := func(errno syscall.Errno) func(string) error {
			return func(path string) error { return &fs.PathError{Op: "sync", Path: path, Err: errno} }
		}

		out := filepath.Join(t.TempDir(), "b")
		backup.SetSync(t, fail(syscall.EIO), durable.SyncDir)
		if _, err := backup.Run(ctx, db, dsn, out, nil); err == nil || err.Error() != "无法写入备份 "+out+"：输入输出错误（磁盘或文件系统故障）" {
			t.Errorf("copy not synced: %v", err)
		}

		out = filepath.Join(t.TempDir(), "b")
		backup.SetSync(t, durable.SyncFile, fail(syscall.ENOSPC))
		if _, err := backup.Run(ctx, db, dsn, out, nil); err == nil || err.Error() != "备份已写入 "+out+"，但无法将其同步到磁盘：磁盘空间不足" {
			t.Errorf("folder not synced: %v", err)
		}
	})
}
