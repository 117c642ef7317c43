//go:build linux

package backup_test

import (
	"path/filepath"
	"syscall"
	"testing"

	"github.com/hutong-gov/hutong/internal/backup"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestBackupCopyWriteFails: a SQLite backup whose copy cannot be written
// (past the process's file size limit, ulimit -f, which SQLite reports
// as a disk I/O error without the system's reason) names the backup, in
// Chinese, where it blamed the database's disk (磁盘读写错误…请检查数据库
// 所在磁盘), and leaves no file. The limit is the test process's own,
// lowered for the backup only (the Go runtime ignores SIGXFSZ, so a write
// past it fails with EFBIG); VACUUM INTO only reads the database.
func TestBackupCopyWriteFails(t *testing.T) {
	db := sqldbtest.SQLite(t)
	seed(t, db)
	dir := t.TempDir()
	out := filepath.Join(dir, "b.db")
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
		t.Fatal(err)
	}
	limit := old
	limit.Cur = 16 << 10
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &limit); err != nil {
		t.Skipf("cannot lower the file size limit: %v", err)
	}
	_, err := backup.Run(t.Context(), db, db.Source, out, nil)
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
		t.Fatal(err)
	}
	if want := "无法写入备份 " + out + "：输入输出错误（磁盘或文件系统故障）"; err == nil || err.Error() != want {
		t.Errorf("backup past the file size limit: %v, want %s", err, want)
	}
	noFiles(t, dir)
}
