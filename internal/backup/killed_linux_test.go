package backup_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/backup"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestBackupKilledStopsPgDump: when hutong is killed (SIGKILL) during a
// PostgreSQL backup, pg_dump dies with it rather than running on. The
// backup runs in a child process (this test binary) with a pg_dump that
// writes its process id and sleeps.
func TestBackupKilledStopsPgDump(t *testing.T) {
	if dsn := os.Getenv("HUTONG_TEST_BACKUP_CHILD"); dsn != "" {
		db, err := sqldb.Open(t.Context(), dsn, sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		// The parent's folder: this process is killed before its own
		// t.TempDir could be removed.
		backup.Run(t.Context(), db, dsn, filepath.Join(os.Getenv("HUTONG_TEST_BACKUP_OUT"), "b.dump"), nil)
		return
	}
	dsn := sqldbtest.PostgresDSN(t)
	bin := t.TempDir()
	pidFile := filepath.Join(bin, "pid")
	script := "#!/bin/sh\necho $$ > " + pidFile + ".tmp && mv " + pidFile + ".tmp " + pidFile + "\nexec sleep 60\n"
	if err := os.WriteFile(filepath.Join(bin, "pg_dump"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	child := exec.Command(os.Args[0], "-test.run=^TestBackupKilledStopsPgDump$")
	child.Env = append(os.Environ(), "HUTONG_TEST_BACKUP_CHILD="+dsn, "HUTONG_PG_BIN="+bin, "HUTONG_TEST_BACKUP_OUT="+t.TempDir())
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	var pid int
	for deadline := time.Now().Add(30 * time.Second); pid == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			child.Process.Kill()
			t.Fatal("pg_dump did not start")
		}
		if b, err := os.ReadFile(pidFile); err == nil {
			pid, _ = strconv.Atoi(strings.TrimSpace(string(b)))
		}
	}
	child.Process.Kill()
	child.Wait()
	defer syscall.Kill(pid, syscall.SIGKILL)
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		// Gone, or a zombie waiting for init to reap it.
		if err := syscall.Kill(pid, 0); err != nil {
			return
		}
		if b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat"); err == nil && strings.Contains(string(b), ") Z ") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("pg_dump (pid %d) still runs 5 s after hutong was killed", pid)
		}
	}
}
