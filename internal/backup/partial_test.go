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

// deadPID returns the id of a process that has exited.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return cmd.Process.Pid
}

// TestBackupRemovesStalePartials: the temporary files a killed backup
// left beside the target (.NAME.partial-PID and its -journal), full of
// personal data, are removed by the next backup to that target when their
// process is gone; those of a running process, and of other targets, are
// kept.
func TestBackupRemovesStalePartials(t *testing.T) {
	db := sqldbtest.SQLite(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "b.db")
	dead := strconv.Itoa(deadPID(t))
	live := strconv.Itoa(os.Getppid())
	stale := []string{".b.db.partial-" + dead, ".b.db.partial-" + dead + "-journal"}
	kept := []string{".b.db.partial-" + live, ".other.db.partial-" + dead}
	for _, n := range append(append([]string{}, stale...), kept...) {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("personal data"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := backup.Run(t.Context(), db, db.Source, out, nil); err != nil {
		t.Fatal(err)
	}
	for _, n := range stale {
		if _, err := os.Lstat(filepath.Join(dir, n)); err == nil {
			t.Errorf("%s of a process that is gone was left", n)
		}
	}
	for _, n := range kept {
		if _, err := os.Lstat(filepath.Join(dir, n)); err != nil {
			t.Errorf("%s: %v, want it kept", n, err)
		}
	}
}

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
