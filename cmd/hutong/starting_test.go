package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/server"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/testlog"
)

// startedWriter passes what it is given to out, and closes started once
// a line says the server started (已启动).
type startedWriter struct {
	out     *testlog.Buffer
	once    sync.Once
	started chan struct{}
}

func (w *startedWriter) Write(b []byte) (int, error) {
	n, err := w.out.Write(b)
	if strings.Contains(w.out.String(), "已启动") {
		w.once.Do(func() { close(w.started) })
	}
	return n, err
}

// answer is what the server answered a GET of a path.
type answer struct {
	status                   int
	contentType, retry, body string
}

// probe asks url+path with a short timeout: a server that accepted the
// connection but does not answer fails the test rather than hang it.
func probe(t *testing.T, url, path string) answer {
	t.Helper()
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(url + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return answer{resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Retry-After"), string(b)}
}

// freeAddr is a local address no one listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// TestStartingAnswers: while serve migrates and demo seeds, the address
// they bound first answers: /healthz 200, /readyz 503 saying what the
// start-up does, the API 503 with a problem document (code starting) and
// Retry-After, the console 503 with a page; then, once started, the real
// server on the same address. Before, the connections were accepted and
// never answered until the start-up ended (the probes timed out). Ctrl-C
// during the start-up still ends the command (已取消, exit status 130)
// and frees the address. On both engines.
func TestStartingAnswers(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		for _, c := range []struct {
			cmd    string
			phase  server.Phase
			readyz string
			label  string
		}{
			{"serve", server.Migrating, "starting: migrating the database schema", "数据库迁移中"},
			{"demo", server.Seeding, "starting: seeding the demo data", "演示数据创建中"},
		} {
			t.Run(c.cmd, func(t *testing.T) {
				held := make(chan struct{})
				release := make(chan struct{})
				startingHook = func(ctx context.Context, p server.Phase) {
					if p != c.phase {
						return
					}
					close(held)
					select {
					case <-release:
					case <-ctx.Done():
					}
				}

				addr := freeAddr(t)
				url := "http://" + addr
				ctx, cancel := context.WithCancelCause(context.Background())
				var out testlog.Buffer
				stdout := &startedWriter{out: &out, started: make(chan struct{})}
				done := make(chan error, 1)
				finished := make(chan struct{})
				go func() {
					defer close(finished)
					done <- run(ctx, []string{c.cmd, "-db", dsn, "-addr", addr}, func(string) string { return "" }, stdout, &out)
				}()
				// The command has returned before the hook is cleared and
				// the database dropped, also when a probe failed the test
				// while it ran.
				t.Cleanup(func() {
					cancel(nil)
					<-finished
					startingHook = nil
				})
				select {
				case <-held:
				case err := <-done:
					t.Fatalf("%s returned before its start-up was held: %v\n%s", c.cmd, err, out.String())
				}

				if a := probe(t, url, "/healthz"); a.status != http.StatusOK || a.body != "ok\nversion "+server.Version()+"\n" {
					t.Errorf("/healthz while starting: %d %q, want 200 ok and the version", a.status, a.body)
				}
				if a := probe(t, url, "/readyz"); a.status != http.StatusServiceUnavailable || a.body != c.readyz+"\n" {
					t.Errorf("/readyz while starting: %d %q, want 503 %q", a.status, a.body, c.readyz)
				}
				a := probe(t, url, "/api/v1/catalog/entries")
				var p struct{ Code, Title, Detail string }
				if err := json.Unmarshal([]byte(a.body), &p); err != nil || a.status != http.StatusServiceUnavailable ||
					a.contentType != "application/problem+json" || a.retry == "" || p.Code != "starting" ||
					p.Detail != "服务正在启动（"+c.label+"），请稍后重试" {
					t.Errorf("API while starting: %d %s Retry-After %q %s, want 503 problem starting with Retry-After", a.status, a.contentType, a.retry, a.body)
				}
				if a := probe(t, url, "/"); a.status != http.StatusServiceUnavailable || !strings.HasPrefix(a.contentType, "text/html") ||
					a.retry == "" || !strings.Contains(a.body, "服务正在启动（"+c.label+"）") {
					t.Errorf("console while starting: %d %s Retry-After %q %s, want 503 page", a.status, a.contentType, a.retry, a.body)
				}

				if c.cmd == "demo" {
					// Ctrl-C while seeding: the demo is canceled as before,
					// and its address freed.
					cancel(interrupted{syscall.SIGINT})
					err := <-done
					var b strings.Builder
					report(&b, err)
					if !strings.Contains(b.String(), "已取消") || exitCode(ctx, err) != 130 {
						t.Errorf("demo interrupted while seeding: %q, exit status %d; want 已取消, 130\n%s", b.String(), exitCode(ctx, err), out.String())
					}
					ln, err := net.Listen("tcp", addr)
					if err != nil {
						t.Fatalf("address of the interrupted demo: %v", err)
					}
					ln.Close()
					return
				}

				close(release)
				select {
				case <-stdout.started:
				case err := <-done:
					t.Fatalf("%s returned: %v\n%s", c.cmd, err, out.String())
				}
				if a := probe(t, url, "/healthz"); a.status != http.StatusOK {
					t.Errorf("/healthz once started: %d %q", a.status, a.body)
				}
				if a := probe(t, url, "/readyz"); a.status != http.StatusOK || a.body != "ready\n" {
					t.Errorf("/readyz once started: %d %q, want 200 ready", a.status, a.body)
				}
				if a := probe(t, url, "/api/v1/openapi.json"); a.status != http.StatusOK {
					t.Errorf("/api/v1/openapi.json once started: %d %s", a.status, a.body)
				}
				cancel(nil)
				if err := <-done; err != nil {
					t.Errorf("%s shut down: %v\n%s", c.cmd, err, out.String())
				}
			})
		}
	})
}

// TestStartingCanceledLast: a Ctrl-C that lands after the start-up's last
// step that heeds the context (here before serve is called) ends the
// command as one during it: 已取消, exit status 130, the server neither
// swapped in nor announced. Before, serve announced 已启动 and returned
// nil (exit status 0).
func TestStartingCanceledLast(t *testing.T) {
	db := sqldbtest.SQLite(t)
	var stdout testlog.Buffer
	e := &env{Stdout: &stdout, Stderr: &testlog.Buffer{}, Getenv: func(string) string { return "" }}
	ln, err := listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	f := &serveFlags{logFormat: "text"}
	fr := startFront(e, f, ln)
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(interrupted{syscall.SIGINT})
	err = serve(ctx, e, db, f, fr, nil)
	// run says a command's context.Canceled 已取消.
	if !errors.Is(err, context.Canceled) || exitCode(ctx, err) != 130 {
		t.Errorf("serve canceled before it started: %v, exit status %d; want context canceled, 130", err, exitCode(ctx, err))
	}
	if strings.Contains(stdout.String(), "已启动") {
		t.Errorf("serve canceled before it started announced it: %q", stdout.String())
	}
	if _, ok := (*fr.handler.Load()).(*server.Server); ok {
		t.Error("serve canceled before it started swapped in the server")
	}
}

// failingListener is a listener whose Accept fails: the server on it
// stops serving at once.
type failingListener struct{ net.Listener }

var errAccept = errors.New("accept refused by the test")

func (failingListener) Accept() (net.Conn, error) { return nil, errAccept }

// TestStartingServeFailed: a server that stopped serving while serve
// started (its listener failed) makes serve return that failure rather
// than announce 已启动 a server that does not serve. Before, serve
// announced it, and only then returned the failure.
func TestStartingServeFailed(t *testing.T) {
	db := sqldbtest.SQLite(t)
	var stdout testlog.Buffer
	e := &env{Stdout: &stdout, Stderr: &testlog.Buffer{}, Getenv: func(string) string { return "" }}
	ln, err := listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	f := &serveFlags{logFormat: "text"}
	fr := startFront(e, f, failingListener{ln})
	// serve is called once the server stopped serving, as after a
	// start-up during which it failed.
	for deadline := time.Now().Add(10 * time.Second); len(fr.errc) == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the server on the failing listener did not stop")
		}
	}
	announced := false
	err = serve(context.Background(), e, db, f, fr, func(string) { announced = true })
	if !errors.Is(err, errAccept) {
		t.Errorf("serve on a failed server returned %v, want %v", err, errAccept)
	}
	if announced {
		t.Error("serve announced a server that had stopped serving")
	}
}
