package backup_test

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/hutong-gov/hutong/internal/backup"
)

// TestToolPath: pg_dump in HUTONG_PG_BIN is pg_dump.exe on Windows, and
// any regular file there can be run, Windows files having no execute bits;
// elsewhere the name is as given and a file needs an execute bit.
func TestToolPath(t *testing.T) {
	dir := filepath.Join("pg", "bin")
	for goos, want := range map[string]string{"linux": "pg_dump", "darwin": "pg_dump", "windows": "pg_dump.exe"} {
		if got := backup.ToolPath(dir, "pg_dump", goos); got != filepath.Join(dir, want) {
			t.Errorf("%s: ToolPath = %q, want %q", goos, got, filepath.Join(dir, want))
		}
	}
	for _, c := range []struct {
		mode fs.FileMode
		goos string
		want bool
	}{
		{0o755, "linux", true},
		{0o700, "darwin", true},
		{0o644, "linux", false},
		{0o644, "windows", true},
		{0o666, "windows", true},
		{fs.ModeDir | 0o777, "windows", false},
		{fs.ModeDir | 0o755, "linux", false},
		{fs.ModeSymlink | 0o777, "linux", false},
	} {
		if got := backup.Runnable(c.mode, c.goos); got != c.want {
			t.Errorf("%s: Runnable(%v) = %v, want %v", c.goos, c.mode, got, c.want)
		}
	}
}

// TestRunning: this process runs; one that has exited and been waited for
// does not.
func TestRunning(t *testing.T) {
	if !backup.Running(os.Getpid()) {
		t.Error("this process does not run")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	if backup.Running(cmd.Process.Pid) {
		t.Errorf("process %d, which has exited, runs", cmd.Process.Pid)
	}
}
