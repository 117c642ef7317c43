package main

import (
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
// a pipe closed at its other end fail saying that the key is lost and what
// to do, as onto a full disk: SIGPIPE killed them, silently, the app or key
// made. Any other command still ends quietly by SIGPIPE there (hutong app
// list | head -1).
func TestKeyOutputClosed(t *testing.T) {
	bin := builtHutong(t)
	db := filepath.Join(t.TempDir(), "h.db")
	must := mustHutong(t, map[string]string{"HUTONG_DB": db})
	must("migrate")
	mustNanhai(must)
	must("org", "department-create", "-name", "南海区政务服务数据管理局", "-uscc", demo.USCC("440605", 1), "-region", "440605", "-operator")
	stderr, st := hutongTo(t, bin, db, closedPipe(t), "app", "create", "-department", "1", "-scopes", "catalog.read", "-name", "甲")
	want := "已创建应用 1“甲”，但其 API 密钥未能输出"
	if st.ExitCode() != 1 || !strings.Contains(stderr, "hutong: 未能写入标准输出（") || !strings.Contains(stderr, "broken pipe") ||
		!strings.Contains(stderr, want) {
		t.Errorf("app create onto a closed pipe: %v, want status 1 and %q\nstderr: %s", st, want, stderr)
	}
	stderr, st = hutongTo(t, bin, db, closedPipe(t), "app", "rotate", "-id", "1", "-grace", "0")
	if st.ExitCode() != 1 || !strings.Contains(stderr, "broken pipe") || !strings.Contains(stderr, "旧密钥已立即吊销") {
		t.Errorf("app rotate onto a closed pipe: %v, want status 1 and the key said lost\nstderr: %s", st, stderr)
	}
	stderr, st = hutongTo(t, bin, db, closedPipe(t), "app", "list")
	if ws, ok := st.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGPIPE || stderr != "" {
		t.Errorf("app list onto a closed pipe: %v, want it ended by SIGPIPE, quietly\nstderr: %s", st, stderr)
	}
}

// TestKeyNullOutputRefused: app create and app rotate whose standard output
// is closed (>&-, which Go's runtime opens /dev/null in place of) or
// /dev/null, where the key they show once would reach no one, refuse
// before doing anything, saying so. They made the app, or revoked the old
// keys (-grace 0) and issued a new one, and only then failed, the app left
// with no key anyone holds.
func TestKeyNullOutputRefused(t *testing.T) {
	bin := builtHutong(t)
	db := filepath.Join(t.TempDir(), "h.db")
	must := mustHutong(t, map[string]string{"HUTONG_DB": db})
	must("migrate")
	mustNanhai(must)
	must("org", "department-create", "-name", "南海区政务服务数据管理局", "-uscc", demo.USCC("440605", 1), "-region", "440605", "-operator")
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	outputs := map[string]*os.File{"closed": nil, "/dev/null": null}
	for what, stdout := range outputs {
		stderr, st := hutongTo(t, bin, db, stdout, "app", "create", "-department", "1", "-scopes", "catalog.read", "-name", "甲")
		if st.ExitCode() != 1 || !strings.Contains(stderr, "hutong: 标准输出已关闭或为 /dev/null") || !strings.Contains(stderr, "未创建应用") {
			t.Errorf("app create onto %s: %v, want status 1, saying no app was created\nstderr: %s", what, st, stderr)
		}
	}
	if out := must("app", "list"); strings.Contains(out, "甲") {
		t.Fatalf("app create onto a closed or null output created the app:\n%s", out)
	}
	must("app", "create", "-department", "1", "-scopes", "catalog.read", "-name", "乙")
	for what, stdout := range outputs {
		stderr, st := hutongTo(t, bin, db, stdout, "app", "rotate", "-id", "1", "-grace", "0")
		if st.ExitCode() != 1 || !strings.Contains(stderr, "hutong: 标准输出已关闭或为 /dev/null") || !strings.Contains(stderr, "未签发新密钥，也未吊销任何密钥") {
			t.Errorf("app rotate onto %s: %v, want status 1, saying no key was issued or revoked\nstderr: %s", what, st, stderr)
		}
	}
	if out := must("app", "show", "-id", "1"); strings.Count(out, "有效") != 1 || strings.Contains(out, "已吊销") {
		t.Errorf("app rotate onto a closed or null output issued or revoked a key, want its one key valid:\n%s", out)
	}
}

// closedPipe is the writing end of a pipe whose reading end is closed.
func closedPipe(t *testing.T) *os.File {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	t.Cleanup(func() { w.Close() })
	return w
}

// hutongTo runs the binary bin with args on the database db, its standard
// output stdout (nil: closed), and returns its standard error and how it
// ended.
func hutongTo(t *testing.T, bin, db string, stdout *os.File, args ...string) (string, *os.ProcessState) {
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
