package server_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/reqlog"
	"github.com/hutong-gov/hutong/internal/server"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/testlog"
)

// TestFailedRequestLoggedOnce: a request that fails with an internal
// error, of the API or of the console, is logged once, on one error line
// carrying its request ID and its error chain; the problem document gives
// the request ID as request_id, and the console's error page shows it
// (请求编号), for the user to quote.
func TestFailedRequestLoggedOnce(t *testing.T) {
	var log testlog.Buffer
	s, err := server.New(server.Config{DB: sqldbtest.SQLite(t), Log: log.Logger()})
	if err != nil {
		t.Fatal(err)
	}
	broke := fmt.Errorf("load the thing: %w", errors.New("disk on fire"))
	s.Handle("GET /api/v1/test-fail", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.API.Error(w, r, broke) }))
	s.Handle("GET /test-fail", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.Web.ErrorPage(w, r, broke) }))
	ts := httptest.NewServer(s)
	defer ts.Close()
	for _, c := range []struct{ path, inBody string }{
		{"/api/v1/test-fail", `"request_id":"%s"`},
		{"/test-fail", `请求编号：<span class="request-id">%s</span>`},
	} {
		before := len(log.String())
		resp, err := http.Get(ts.URL + c.path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		id := resp.Header.Get("X-Request-ID")
		if resp.StatusCode != 500 || id == "" {
			t.Fatalf("%s: %d, request ID %q", c.path, resp.StatusCode, id)
		}
		if want := fmt.Sprintf(c.inBody, id); !strings.Contains(string(b), want) {
			t.Errorf("%s: the answer lacks %s:\n%s", c.path, want, b)
		}
		out := log.String()[before:]
		if n := strings.Count(out, "level=ERROR"); n != 1 {
			t.Errorf("%s: %d error lines, want 1:\n%s", c.path, n, out)
		}
		if !strings.Contains(out, "request_id="+id) || !strings.Contains(out, `err="load the thing: disk on fire"`) ||
			!strings.Contains(out, "status=500") {
			t.Errorf("%s: no line carries both the request ID and the error:\n%s", c.path, out)
		}
	}
}

// TestClientLeftLoggedQuietly: a request whose client left (its context
// cancelled by net/http, here because the client half-closed its
// connection after its request) and whose work failed for it is no
// server error: one info line, status 499, client_left=true, with the
// error, no status_sent and no stack (until 2026-12-05 the line said
// status_sent=200, the status net/http gives a handler that wrote
// nothing). Nor is it answered: the connection is dropped, where net/http
// answered a handler that wrote nothing "200 OK" with an empty body, which
// the client, still reading, took for success (until 2026-12-06).
func TestClientLeftLoggedQuietly(t *testing.T) {
	var log testlog.Buffer
	s, err := server.New(server.Config{DB: sqldbtest.SQLite(t), Log: log.Logger()})
	if err != nil {
		t.Fatal(err)
	}
	left := func(r *http.Request) error {
		<-r.Context().Done() // net/http cancels it when the client half-closes
		return fmt.Errorf("query: %w", r.Context().Err())
	}
	s.Handle("GET /api/v1/test-left", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.API.Error(w, r, left(r))
	}))
	s.Handle("GET /test-left", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.Web.ErrorPage(w, r, left(r))
	}))
	ts := httptest.NewServer(s)
	defer ts.Close()
	for _, p := range []string{"/api/v1/test-left", "/test-left"} {
		before := len(log.String())
		conn, err := net.Dial("tcp", ts.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", p)
		if err := conn.(*net.TCPConn).CloseWrite(); err != nil {
			t.Fatal(err)
		}
		answer, err := io.ReadAll(conn)
		conn.Close()
		if err != nil || len(answer) != 0 {
			t.Errorf("%s: answered %q (%v), want the connection dropped unanswered", p, answer, err)
		}
		out := log.String()[before:]
		if strings.Count(out, "\n") != 1 || !strings.Contains(out, "level=INFO") || !strings.Contains(out, "status=499") ||
			!strings.Contains(out, "client_left=true") || !strings.Contains(out, `err="query: context canceled"`) ||
			strings.Contains(out, "status_sent") || strings.Contains(out, "stack") {
			t.Errorf("%s: want one info line of a client that left, without status_sent nor stack:\n%s", p, out)
		}
	}
}

// TestShutdownAbortLoggedAsFailure: a request the server's shutdown gave
// up on (its context cancelled with the cause reqlog.ErrShutdown) failed
// for the server, not because its client left: one error line, status
// 503, the error shutting_down wrapping the request's, no client_left;
// the API answers 503 shutting_down.
func TestShutdownAbortLoggedAsFailure(t *testing.T) {
	var log testlog.Buffer
	s, err := server.New(server.Config{DB: sqldbtest.SQLite(t), Log: log.Logger()})
	if err != nil {
		t.Fatal(err)
	}
	s.Handle("GET /api/v1/test-aborted", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.API.Error(w, r, fmt.Errorf("query: %w", r.Context().Err()))
	}))
	s.Handle("GET /test-aborted", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.Web.ErrorPage(w, r, fmt.Errorf("query: %w", r.Context().Err()))
	}))
	for _, p := range []string{"/api/v1/test-aborted", "/test-aborted"} {
		before := len(log.String())
		ctx, cancel := context.WithCancelCause(context.Background())
		cancel(reqlog.ErrShutdown)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest("GET", p, nil).WithContext(ctx))
		out := log.String()[before:]
		if strings.Count(out, "\n") != 1 || !strings.Contains(out, "level=ERROR") || !strings.Contains(out, "status=503") ||
			strings.Contains(out, "client_left") || !strings.Contains(out, `err="shutting_down: 服务正在关闭，请稍后重试: query: context canceled"`) {
			t.Errorf("%s: want one error line of a request the shutdown gave up on:\n%s", p, out)
		}
		if rec.Code != 503 || (p == "/api/v1/test-aborted" && !strings.Contains(rec.Body.String(), `"code":"shutting_down"`)) {
			t.Errorf("%s: answered %d %s", p, rec.Code, rec.Body)
		}
	}
}
