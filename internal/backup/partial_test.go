//go:build unix

package backup_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/backup"
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
