package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/testlog"
)

// TestServeShutdownTimeout: a request still running when the shutdown's
// time is up has its connection closed, and serve says so in Chinese,
// rather than return with the request still served over a database about
// to be closed, and "context deadline exceeded". The request failed for
// the server, not because its client left or cut its body short: its log
// line is an error, 503 shutting_down.
func TestServeShutdownTimeout(t *testing.T) {
	old := shutdownTimeout
	shutdownTimeout = 300 * time.Millisecond
	t.Cleanup(func() { shutdownTimeout = old })
	db := sqldbtest.SQLite(t)
	var stderr testlog.Buffer
	e := &env{Stdout: &testlog.Buffer{}, Stderr: &stderr, Getenv: func(string) string { return "" }}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ln, err := listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	urls := make(chan string, 1)
	served := make(chan error, 1)
	// The login's handler signals that it runs (inFlight), so that the
	// shutdown begins with it in flight, not after a guessed sleep.
	inFlight := make(chan struct{}, 1)
	go func() {
		f := &serveFlags{logFormat: "text"}
		fr := startFront(e, f, ln)
		served <- serve(ctx, e, db, f, fr, func(url string) {
			h := *fr.handler.Load()
			fr.set(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/api/v1/auth/login" {
					select {
					case inFlight <- struct{}{}:
					default:
					}
				}
				h.ServeHTTP(w, r)
			}))
			urls <- url
		})
	}()
	url := <-urls

	// A login whose body never finishes keeps its handler reading.
	conn, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprint(conn, "POST /api/v1/auth/login HTTP/1.1\r\nHost: hutong\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"user")
	select {
	case <-inFlight:
	case <-time.After(10 * time.Second):
		t.Fatal("the login's handler did not start")
	}
	cancel()
	select {
	case err := <-served:
		if err == nil || !strings.Contains(err.Error(), "已强制断开") || strings.Contains(err.Error(), "deadline") {
			t.Errorf("serve returned %v, want the forced close said in Chinese", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not return")
	}
	conn.SetReadDeadline(time.Now().Add(2 * time.Second))
	_, err = conn.Read(make([]byte, 1))
	if errors.Is(err, os.ErrDeadlineExceeded) {
		t.Error("the request's connection is still open after serve returned")
	}
	var line string
	for deadline := time.Now().Add(5 * time.Second); line == "" && time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		for _, l := range strings.Split(stderr.String(), "\n") {
			if strings.Contains(l, "path=/api/v1/auth/login ") {
				line = l
			}
		}
	}
	if !strings.Contains(line, "level=ERROR") || !strings.Contains(line, "status=503") ||
		!strings.Contains(line, "shutting_down") || strings.Contains(line, "client_left") {
		t.Errorf("the request the shutdown gave up on is not logged as the server's failure, 503 shutting_down:\n%s", stderr.String())
	}
}
