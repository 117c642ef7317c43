package server_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/auth"
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

// TestMiddlewareErrorsAsPages: the console's pages get the console's
// Chinese error page, not a problem document, when the session lookup
// fails (the database gone) or their handler panics; the API's paths keep
// their problem documents.
func TestMiddlewareErrorsAsPages(t *testing.T) {
	var log testlog.Buffer
	db := sqldbtest.SQLite(t)
	s, err := server.New(server.Config{DB: db, Log: log.Logger()})
	if err != nil {
		t.Fatal(err)
	}
	s.Handle("GET /test-console-panic", http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	s.Handle("GET /api/v1/test-panic", http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	ts := httptest.NewServer(s)
	defer ts.Close()
	get := func(path string, cookie bool) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", ts.URL+path, nil)
		if cookie {
			req.AddCookie(&http.Cookie{Name: auth.SessionCookie, Value: "some-session"})
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp, string(body)
	}
	check := func(what string, resp *http.Response, body string, wantStatus int, wantType, wantBody string) {
		t.Helper()
		if resp.StatusCode != wantStatus || resp.Header.Get("Content-Type") != wantType || !strings.Contains(body, wantBody) {
			t.Errorf("%s: got %d %s %s, want %d %s holding %q", what, resp.StatusCode, resp.Header.Get("Content-Type"), body,
				wantStatus, wantType, wantBody)
		}
	}
	const page, problem = "text/html; charset=utf-8", "application/problem+json"
	resp, body := get("/test-console-panic", false)
	check("console page panics", resp, body, 500, page, "服务器内部错误")
	resp, body = get("/api/v1/test-panic", false)
	check("API route panics", resp, body, 500, problem, `"code":"internal"`)

	db.Close()
	resp, body = get("/", true)
	check("console session lookup fails", resp, body, resp.StatusCode, page, "<html")
	if resp.StatusCode < 500 {
		t.Errorf("console session lookup fails: got %d, want a 5xx", resp.StatusCode)
	}
	resp, body = get("/api/v1/openapi.json", true)
	check("API session lookup fails", resp, body, resp.StatusCode, problem, `"status":5`)
	// A failed lookup is logged once, on its request's line with its
	// error; a panic has its own line with the stack.
	if n := strings.Count(log.String(), "level=ERROR"); n != 6 || strings.Count(log.String(), `err="session: `) != 2 {
		t.Errorf("%d error lines, want 6 (two panics, four requests, the failed lookups' with their error):\n%s", n, log.String())
	}
}

// TestPanicMidResponseLoggedAsAborted: a request whose handler panicked
// after its answer began, whose connection is cut, is logged at ERROR as
// aborted and counted under the code "aborted", where it was logged at
// INFO and counted as the 200 its first part was sent with.
func TestPanicMidResponseLoggedAsAborted(t *testing.T) {
	var log testlog.Buffer
	ts := panicServer(t, &log, map[string]http.HandlerFunc{
		"GET /api/v1/test-aborted": func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintln(w, "partial")
			http.NewResponseController(w).Flush()
			panic("broke")
		},
	})
	if resp, err := http.Get(ts.URL + "/api/v1/test-aborted"); err == nil {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	line := grepLines(log.String(), "msg=request ")
	if !strings.Contains(line, "level=ERROR") || !strings.Contains(line, "aborted=true") {
		t.Errorf("request line of an aborted answer: %s, want level=ERROR and aborted=true", line)
	}
	resp, err := http.Get(ts.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	want := `hutong_http_requests_total{code="aborted",route="GET /api/v1/test-aborted"} 1`
	if !strings.Contains(string(body), want) {
		t.Errorf("metrics lack %s:\n%s", want, grepLines(string(body), "hutong_http_requests_total"))
	}
}
