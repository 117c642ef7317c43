package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/hutong-gov/hutong/internal/demo"
)

// TestProgressWriterTerminalOutput: progress to a command's standard
// output (output) on a terminal is rewritten in place, as it is to the
// terminal itself (hutong bench), not cut into lines as for a log.
func TestProgressWriterTerminalOutput(t *testing.T) {
	_, tty := openPTY(t)
	out := &output{w: tty}
	if w, _ := progressWriter(out); w != out {
		t.Errorf("progress to a terminal through the command's output went to %T", w)
	}
}

// TestKeyOutputClosed: app create and app rotate whose standard output is
// closed (>&-) or a pipe closed at its other end fail saying that the key
// is lost and what to do, as onto a full disk: >&- exited 0, the key
// written into the /dev/null Go's runtime opens in place of a closed
// descriptor, and a closed pipe killed them by SIGPIPE, silently, the app
// or key made. Any other command still ends quietly by SIGPIPE there
// (hutong app list | head -1).
func TestKeyOutputClosed(t *testing.T) {
	bin := builtHutong(t)
	db := filepath.Join(t.TempDir(), "h.db")
	must := mustHutong(t, map[string]string{"HUTONG_DB": db})
	must("migrate")
	mustNanhai(must)
	must("org", "department-create", "-name", "南海区政务服务数据管理局", "-uscc", demo.USCC("440605", 1), "-region", "440605", "-operator")
	closedPipe := func() *os.File {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		r.Close()
		t.Cleanup(func() { w.Close() })
		return w
	}
	// hutongTo runs the binary with args, its standard output stdout (nil:
	// closed), and returns its standard error and how it ended.
	hutongTo := func(stdout *os.File, args ...string) (string, *os.ProcessState) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		if stdout == nil {
			cmd = exec.Command("sh", append([]string{"-c", `exec "$0" "$@" >&-`, bin}, args...)...)
		} else {
			cmd.Stdout = stdout
		}
		cmd.Env = append(os.Environ(), "HUTONG_DB="+db)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil && cmd.ProcessState == nil {
			t.Fatal(err)
		}
		return stderr.String(), cmd.ProcessState
	}
	create := []string{"app", "create", "-department", "1", "-scopes", "catalog.read", "-name"}
	for i, c := range []struct {
		stdout    *os.File
		why, name string
	}{{nil, "标准输出已关闭或为 /dev/null", "甲"}, {closedPipe(), "broken pipe", "乙"}} {
		stderr, st := hutongTo(c.stdout, append(create, c.name)...)
		want := fmt.Sprintf("已创建应用 %d“%s”，但其 API 密钥未能输出", i+1, c.name)
		if st.ExitCode() != 1 || !strings.Contains(stderr, "hutong: 未能写入标准输出（") || !strings.Contains(stderr, c.why) ||
			!strings.Contains(stderr, want) {
			t.Errorf("app create onto %s: %v, want status 1 and %q\nstderr: %s", c.why, st, want, stderr)
		}
	}
	stderr, st := hutongTo(closedPipe(), "app", "rotate", "-id", "1", "-grace", "0")
	if st.ExitCode() != 1 || !strings.Contains(stderr, "broken pipe") || !strings.Contains(stderr, "旧密钥已立即吊销") {
		t.Errorf("app rotate onto a closed pipe: %v, want status 1 and the key said lost\nstderr: %s", st, stderr)
	}
	stderr, st = hutongTo(closedPipe(), "app", "list")
	if ws, ok := st.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGPIPE || stderr != "" {
		t.Errorf("app list onto a closed pipe: %v, want it ended by SIGPIPE, quietly\nstderr: %s", st, stderr)
	}
}
