package backup_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/backup"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// noFiles fails the test if dir holds any file.
func noFiles(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("left in %s: %s", dir, e.Name())
	}
}

// TestBackupDiskFull: a SQLite backup to a disk that fills up says so in
// Chinese (磁盘空间不足), naming the backup, not the temporary file, and
// leaves neither the temporary file nor its -journal. The disk is a small
// tmpfs, which needs root to mount.
func TestBackupDiskFull(t *testing.T) {
	db := sqldbtest.SQLite(t)
	seed(t, db)
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
	out := filepath.Join(dir, "b.db")
	_, err := backup.Run(t.Context(), db, db.Source, out, nil)
	if want := "无法写入备份 " + out + "：磁盘空间不足"; err == nil || err.Error() != want {
		t.Errorf("backup to a full disk: %v, want %s", err, want)
	}
	noFiles(t, dir)
}

// TestBackupCanceled: a backup canceled (Ctrl-C) says 备份已取消, without
// the temporary file's name or the driver's or pg_dump's words, and
// leaves no file: on SQLite canceled before VACUUM INTO, on PostgreSQL
// while pg_dump (one that writes its process id and sleeps) runs.
func TestBackupCanceled(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		db := sqldbtest.SQLite(t)
		dir := t.TempDir()
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if _, err := backup.Run(ctx, db, db.Source, filepath.Join(dir, "b.db"), nil); err == nil || err.Error() != "备份已取消" {
			t.Errorf("canceled backup: %v, want 备份已取消", err)
		}
		noFiles(t, dir)
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := sqldbtest.PostgresDSN(t)
		db, err := sqldb.Open(t.Context(), dsn, sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		bin := t.TempDir()
		pidFile := filepath.Join(bin, "pid")
		script := "#!/bin/sh\necho $$ > " + pidFile + ".tmp && mv " + pidFile + ".tmp " + pidFile + "\nexec sleep 60\n"
		if err := os.WriteFile(filepath.Join(bin, "pg_dump"), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
		t.Setenv("HUTONG_PG_BIN", bin)
		dir := t.TempDir()
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		go func() {
			for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
				if b, err := os.ReadFile(pidFile); err == nil {
					if _, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
						break
					}
				}
			}
			cancel()
		}()
		if _, err := backup.Run(ctx, db, dsn, filepath.Join(dir, "b.dump"), nil); err == nil || err.Error() != "备份已取消" {
			t.Errorf("canceled backup: %v, want 备份已取消", err)
		}
		noFiles(t, dir)
	})
}
