package backup_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/backup"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestBackupDiskFullPostgres: pg_dump writing to a full disk said only
// 退出状态 1 before its English "No space left on device"; it says
// 磁盘空间不足, as a SQLite backup does, with pg_dump's lines after, and
// leaves no file. The disk is a small tmpfs, which needs root to mount.
func TestBackupDiskFullPostgres(t *testing.T) {
	dsn := sqldbtest.PostgresDSN(t)
	db, err := sqldb.Open(t.Context(), dsn, sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	seedDemo(t, db)
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
	_, err = backup.Run(t.Context(), db, dsn, filepath.Join(dir, "b.dump"), nil)
	if err == nil || !strings.Contains(strings.SplitN(err.Error(), "\n", 2)[0], "：磁盘空间不足") ||
		!strings.Contains(err.Error(), "\npg_dump: ") || !strings.Contains(err.Error(), "No space left on device") {
		t.Errorf("pg_dump to a full disk: %v, want 磁盘空间不足 and pg_dump's lines", err)
	}
	noFiles(t, dir)
}
