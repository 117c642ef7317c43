package main

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/testlog"
)

// TestSignalTwiceExits: the first signal cancels the command's context
// with the signal as its cause; a second one exits at once with 128 plus
// its number, saying so.
func TestSignalTwiceExits(t *testing.T) {
	sigs := make(chan os.Signal, 2)
	ctx, cancel := context.WithCancelCause(context.Background())
	var out testlog.Buffer
	exited := make(chan int, 1)
	go watchSignals(sigs, cancel, &out, func(code int) { exited <- code })
	sigs <- syscall.SIGTERM
	<-ctx.Done()
	var i interrupted
	if !errors.As(context.Cause(ctx), &i) || i.sig != syscall.SIGTERM {
		t.Fatalf("cause %v, want SIGTERM", context.Cause(ctx))
	}
	select {
	case code := <-exited:
		t.Fatalf("exited with %d after one signal", code)
	case <-time.After(50 * time.Millisecond):
	}
	sigs <- syscall.SIGINT
	if code := <-exited; code != 130 {
		t.Errorf("second signal: exit %d, want 130", code)
	}
	if !strings.Contains(out.String(), "再次收到信号（interrupt），立即退出") {
		t.Errorf("second signal said %q", out.String())
	}
}

// TestServeSignalLog runs hutong serve -log-format json as a child
// process. SIGTERM logs which signal started the shutdown; with a request
// in flight (its headers half sent), the shutdown waits for it, and a
// second SIGTERM ends the process at once, 143, logged, where it waited
// the full 20 s; without one, the server logs "stopped" and exits 0.
// Every line of its stderr is JSON, an unknown HUTONG_ variable's warning
// too.
func TestServeSignalLog(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command and signals it")
	}
	bin := builtHutong(t)
	dsn := filepath.Join(t.TempDir(), "h.db")
	mustHutong(t, map[string]string{"HUTONG_DB": dsn})("migrate")
	for _, inFlight := range []bool{true, false} {
		var stderr testlog.Buffer
		cmd := exec.Command(bin, "serve", "-addr", "127.0.0.1:0", "-log-format", "json")
		cmd.Env = append(os.Environ(), "HUTONG_DB="+dsn, "HUTONG_DSN=x.db")
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		waited := make(chan error, 1)
		go func() { waited <- cmd.Wait() }()
		waitOutput(t, &stderr, `"msg":"listening"`)
		if inFlight {
			addr := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)`).FindStringSubmatch(stderr.String())[1]
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			conn.Write([]byte("GET /healthz HTTP/1.1\r\nHost: x\r\n")) // active, never whole
			time.Sleep(100 * time.Millisecond)
		}
		cmd.Process.Signal(syscall.SIGTERM)
		waitOutput(t, &stderr, `"msg":"shutting down","signal":"terminated"`)
		if inFlight {
			cmd.Process.Signal(syscall.SIGTERM)
		}
		var err error
		select {
		case err = <-waited:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			t.Fatalf("in flight %v: serve did not exit within 5 s of SIGTERM:\n%s", inFlight, stderr.String())
		}
		var exit *exec.ExitError
		switch {
		case inFlight && (!errors.As(err, &exit) || exit.ExitCode() != 143):
			t.Errorf("second SIGTERM: %v, want exit status 143", err)
		case inFlight && !strings.Contains(stderr.String(), `"msg":"second signal: exiting at once","signal":"terminated"`):
			t.Errorf("second SIGTERM not logged:\n%s", stderr.String())
		case !inFlight && (err != nil || !strings.Contains(stderr.String(), `"msg":"stopped"`)):
			t.Errorf("SIGTERM: %v, want exit 0 and stopped logged:\n%s", err, stderr.String())
		}
		if !strings.Contains(stderr.String(), `"msg":"unknown environment variable ignored","name":"HUTONG_DSN"`) {
			t.Errorf("in flight %v: HUTONG_DSN not warned of in JSON:\n%s", inFlight, stderr.String())
		}
		for _, l := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
			if !json.Valid([]byte(l)) {
				t.Errorf("in flight %v: a line of stderr is not JSON: %q", inFlight, l)
			}
		}
	}
}

// TestServeJSONOnly: with -log-format json, what serve says for a person
// is structured too, so that its standard error holds JSON only: the
// migrations applied at start ("applying migration" and "migration
// applied" name=…, where hutong migrate says 正在应用迁移 … and 已应用迁移 …), an unknown HUTONG_ variable, and a
// shutdown that timed out, logged once as "stopped on error" and not
// printed again by main (errReported).
func TestServeJSONOnly(t *testing.T) {
	var log testlog.Buffer
	db, err := sqldb.Open(t.Context(), filepath.Join(t.TempDir(), "m.db"), sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fr := &front{log: slog.New(slog.NewJSONHandler(&log, nil)), json: true}
	if err := migrateDB(t.Context(), &env{Stderr: &log}, db, fr); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	var first, second struct{ Msg, Name string }
	if len(lines) < 80 || json.Unmarshal([]byte(lines[0]), &first) != nil || first.Msg != "applying migration" ||
		!strings.HasPrefix(first.Name, "0001_") || json.Unmarshal([]byte(lines[1]), &second) != nil ||
		second.Msg != "migration applied" || second.Name != first.Name {
		t.Errorf("migrations applied in JSON mode: %d lines, first %q, %q", len(lines), lines[0], lines[1])
	}
	for _, l := range lines {
		if !json.Valid([]byte(l)) {
			t.Errorf("not JSON: %q", l)
		}
	}

	var warned testlog.Buffer
	warnUnknownEnv(&warned, []string{"HUTONG_DSN=x.db"}, startLog([]string{"--db", "h.db", "serve", "-log-format", "json"},
		func(string) string { return "" }, &warned))
	if s := warned.String(); !json.Valid([]byte(strings.TrimSpace(s))) ||
		!strings.Contains(s, `"msg":"unknown environment variable ignored","name":"HUTONG_DSN","did_you_mean":"HUTONG_DB"`) {
		t.Errorf("unknown variable in JSON mode: %q", s)
	}
	for _, args := range [][]string{{"serve"}, {"migrate", "-log-format", "json"}, {"demo", "--", "-log-format", "json"}} {
		if startLog(args, func(string) string { return "" }, &warned) != nil {
			t.Errorf("%v: a JSON start log", args)
		}
	}
	if startLog([]string{"demo"}, func(k string) string { return map[string]string{"HUTONG_LOG_FORMAT": "json"}[k] }, &warned) == nil {
		t.Errorf("demo with HUTONG_LOG_FORMAT=json: no JSON start log")
	}

	dsn := filepath.Join(t.TempDir(), "h.db")
	mustHutong(t, map[string]string{"HUTONG_DB": dsn})("migrate")
	defer func(d time.Duration) { shutdownTimeout = d }(shutdownTimeout)
	shutdownTimeout = 200 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr testlog.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "-addr", "127.0.0.1:0", "-log-format", "json"},
			func(k string) string { return map[string]string{"HUTONG_DB": dsn}[k] }, &stdout, &stderr)
	}()
	waitOutput(t, &stderr, `"msg":"listening"`)
	addr := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)`).FindStringSubmatch(stderr.String())[1]
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.Write([]byte("GET /healthz HTTP/1.1\r\nHost: x\r\n"))
	time.Sleep(100 * time.Millisecond)
	cancel()
	err = <-done
	var out strings.Builder
	report(&out, err)
	if !errors.Is(err, errReported) || out.Len() > 0 || !strings.Contains(stderr.String(), `"msg":"stopped on error","err":"关闭服务：`) {
		t.Errorf("shutdown timed out: %v, main prints %q; stderr:\n%s", err, out.String(), stderr.String())
	}
	for _, l := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
		if !json.Valid([]byte(l)) {
			t.Errorf("serve's stderr: not JSON: %q", l)
		}
	}
}
