package server_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/server"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/testlog"
)

// panicServer serves a server with extra routes whose handlers panic,
// logging into log.
func panicServer(t *testing.T, log *testlog.Buffer, routes map[string]http.HandlerFunc) *httptest.Server {
	t.Helper()
	s, err := server.New(server.Config{DB: sqldbtest.SQLite(t), Log: log.Logger()})
	if err != nil {
		t.Fatal(err)
	}
	for pattern, h := range routes {
		s.Handle(pattern, h)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return ts
}

// TestPanicMidResponseAborts: a handler that panics after its answer has
// begun (a streamed export, flushed) gets its connection cut, so that the
// client sees the answer fail rather than take its first part for the
// whole; one that panics before writing anything gets a 500.
func TestPanicMidResponseAborts(t *testing.T) {
	var log testlog.Buffer
	ts := panicServer(t, &log, map[string]http.HandlerFunc{
		"GET /api/v1/test-stream": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/csv; charset=utf-8")
			fmt.Fprintln(w, "名称,代码")
			for i := range 10 {
				fmt.Fprintf(w, "行%d,%d\n", i, i)
			}
			if err := http.NewResponseController(w).Flush(); err != nil {
				t.Error(err)
			}
			panic("export broke")
		},
		"GET /api/v1/test-early": func(w http.ResponseWriter, r *http.Request) { panic("early") },
	})
	resp, err := http.Get(ts.URL + "/api/v1/test-stream")
	if err != nil {
		t.Fatal(err) // the flush sent the status
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err == nil {
		t.Errorf("panic mid-stream: got %d and %d bytes read without error, want the read to fail", resp.StatusCode, len(body))
	}

	resp, err = http.Get(ts.URL + "/api/v1/test-early")
	if err != nil {
		t.Fatal(err)
	}
	body, err = io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("panic before writing: got %d %s (read error %v), want 500", resp.StatusCode, body, err)
	}
}

// TestPanicCountedUnderRoute: the metrics count a request whose handler
// panicked under its route, not as unmatched.
func TestPanicCountedUnderRoute(t *testing.T) {
	var log testlog.Buffer
	ts := panicServer(t, &log, map[string]http.HandlerFunc{
		"GET /api/v1/test-panic/{id}": func(w http.ResponseWriter, r *http.Request) { panic("boom") },
	})
	resp, err := http.Get(ts.URL + "/api/v1/test-panic/7")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	resp, err = http.Get(ts.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	want := `hutong_http_requests_total{code="500",route="GET /api/v1/test-panic/{id}"} 1`
	if !strings.Contains(string(body), want) {
		t.Errorf("metrics lack %s:\n%s", want, grepLines(string(body), "hutong_http_requests_total"))
	}
}

// grepLines is the lines of s that hold sub.
func grepLines(s, sub string) string {
	var b strings.Builder
	for line := range strings.Lines(s) {
		if strings.Contains(line, sub) {
			b.WriteString(line)
		}
	}
	return b.String()
}

// TestPanicLogged: a panic is logged once, with the stack that locates it,
// beside the request's own line, whether or not its answer had begun.
func TestPanicLogged(t *testing.T) {
	for _, begun := range []bool{false, true} {
		var log testlog.Buffer
		ts := panicServer(t, &log, map[string]http.HandlerFunc{
			"GET /api/v1/test-panic": func(w http.ResponseWriter, r *http.Request) {
				if begun {
					fmt.Fprintln(w, "partial")
					http.NewResponseController(w).Flush()
				}
				panicInHandler()
			},
		})
		resp, err := http.Get(ts.URL + "/api/v1/test-panic")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		out := log.String()
		if n := strings.Count(out, "\n"); n != 2 || strings.Count(out, "msg=request ") != 1 {
			t.Errorf("begun %v: %d lines, want 2 (the panic and the request):\n%s", begun, n, out)
		}
		if n := strings.Count(out, "msg=panic "); n != 1 || !strings.Contains(out, "stack=") || !strings.Contains(out, "panicInHandler") {
			t.Errorf("begun %v: want one panic line with the stack naming panicInHandler:\n%s", begun, out)
		}
	}
}

func panicInHandler() { panic("boom") }
