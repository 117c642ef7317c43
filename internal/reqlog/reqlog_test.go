package reqlog_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/reqlog"
)

// logLine logs e's line for a request answered with status sent as the
// server's middleware does (request_id, status, then Line's attributes)
// and returns the JSON lines written.
func logLine(t *testing.T, e *reqlog.Entry, sent int) []map[string]any {
	t.Helper()
	var buf bytes.Buffer
	status, level, attrs := e.Line(sent)
	slog.New(slog.NewJSONHandler(&buf, nil)).LogAttrs(context.Background(), level, "request",
		append([]slog.Attr{slog.String("request_id", e.ID), slog.Int("status", status)}, attrs...)...)
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		lines = append(lines, m)
	}
	return lines
}

// attrs maps Line's attributes by key.
func attrs(as []slog.Attr) map[string]slog.Value {
	m := map[string]slog.Value{}
	for _, a := range as {
		m[a.Key] = a.Value
	}
	return m
}

// TestFailLogsOneError: a request that failed with a 5xx (Fail) is one
// ERROR line with its request ID, its status and its error's whole chain,
// the first error recorded (the cause, not what a later step wrapped it
// in) with the last status.
func TestFailLogsOneError(t *testing.T) {
	disk := errors.New("disk full")
	first := fmt.Errorf("append audit row: %w", disk)
	e := &reqlog.Entry{ID: "req-1"}
	ctx := reqlog.With(context.Background(), e)
	if reqlog.From(ctx) != e || reqlog.ID(ctx) != "req-1" {
		t.Fatalf("From, ID of the context: %p %q, want the entry and req-1", reqlog.From(ctx), reqlog.ID(ctx))
	}
	if !reqlog.From(ctx).Fail(500, first) || !e.Fail(503, errors.New("answer: write failed")) {
		t.Fatal("Fail on an entry returned false")
	}
	status, level, as := e.Line(503)
	if status != 503 || level != slog.LevelError {
		t.Errorf("Line: status %d level %v, want 503 ERROR", status, level)
	}
	err, ok := attrs(as)["err"].Any().(error)
	if !ok || !errors.Is(err, disk) || err.Error() != "append audit row: disk full" {
		t.Errorf("err attribute %v, want the first error recorded, wrapping disk full", attrs(as)["err"])
	}
	if _, sent := attrs(as)["status_sent"]; sent {
		t.Errorf("status_sent with the status sent as the outcome: %v", as)
	}
	lines := logLine(t, e, 503)
	if len(lines) != 1 {
		t.Fatalf("%d log lines, want 1", len(lines))
	}
	if l := lines[0]; l["level"] != "ERROR" || l["request_id"] != "req-1" || l["status"] != 503.0 || l["err"] != "append audit row: disk full" {
		t.Errorf("log line %v, want ERROR with request_id req-1, status 503 and err append audit row: disk full", l)
	}
}

// TestOutcomeOtherThanSent: a stream begun with 200 that failed is logged
// with the outcome recorded, the status sent beside it (status_sent), at
// ERROR for a 5xx outcome; a 5xx sent is an ERROR without any record.
func TestOutcomeOtherThanSent(t *testing.T) {
	e := &reqlog.Entry{ID: "req-2"}
	e.Fail(500, errors.New("stream: row 12: query canceled"))
	status, level, as := e.Line(200)
	if status != 500 || level != slog.LevelError || attrs(as)["status_sent"].Int64() != 200 {
		t.Errorf("stream failed after 200: status %d level %v attrs %v, want 500 ERROR status_sent=200", status, level, as)
	}
	e = &reqlog.Entry{ID: "req-3"}
	e.Outcome(206)
	if status, level, as := e.Line(200); status != 206 || level != slog.LevelInfo || attrs(as)["status_sent"].Int64() != 200 {
		t.Errorf("outcome 206 after 200: status %d level %v attrs %v, want 206 INFO status_sent=200", status, level, as)
	}
	if status, level, as := (&reqlog.Entry{}).Line(502); status != 502 || level != slog.LevelError || len(as) != 0 {
		t.Errorf("502 sent, nothing recorded: status %d level %v attrs %v, want 502 ERROR and no attributes", status, level, as)
	}
	if status, level, _ := (&reqlog.Entry{}).Line(404); status != 404 || level != slog.LevelInfo {
		t.Errorf("404 sent: status %d level %v, want 404 INFO", status, level)
	}
}

// TestClientLeft: a client that left (Left) is logged at INFO with status
// 499, client_left=true and what its request's work failed with, even
// where a 5xx was recorded before; with the status sent when something
// was (a stream begun), never 499 then. ClientLeft tells a request whose
// connection closed from one the server's shutdown cancelled (cause
// ErrShutdown) and one still running.
func TestClientLeft(t *testing.T) {
	canceled := fmt.Errorf("query: %w", context.Canceled)
	e := &reqlog.Entry{ID: "req-4"}
	e.Fail(500, errors.New("query: connection reset"))
	if !e.Left(canceled) {
		t.Fatal("Left on an entry returned false")
	}
	status, level, as := e.Line(0)
	m := attrs(as)
	if status != 499 || level != slog.LevelInfo || !m["client_left"].Bool() ||
		m["err"].Any() != canceled {
		t.Errorf("client left before anything was sent: status %d level %v attrs %v, want 499 INFO client_left err", status, level, as)
	}
	if _, sent := m["status_sent"]; sent {
		t.Errorf("client left before anything was sent: status_sent in %v", as)
	}
	if status, _, as := e.Line(200); status != 200 || !attrs(as)["client_left"].Bool() {
		t.Errorf("client left after 200 was sent: status %d attrs %v, want 200 client_left", status, as)
	} else if _, sent := attrs(as)["status_sent"]; sent {
		t.Errorf("client left after 200 was sent: status_sent in %v", as)
	}
	if l := logLine(t, e, 0)[0]; l["level"] != "INFO" || l["status"] != 499.0 || l["client_left"] != true || l["request_id"] != "req-4" {
		t.Errorf("log line %v, want INFO, status 499, client_left, request_id req-4", l)
	}

	r := httptest.NewRequest("GET", "/api/v1/audit", nil)
	if reqlog.ClientLeft(r) {
		t.Error("ClientLeft on a request still running")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if !reqlog.ClientLeft(r.WithContext(ctx)) {
		t.Error("ClientLeft false on a request whose connection closed")
	}
	ctx, cancelCause := context.WithCancelCause(context.Background())
	cancelCause(reqlog.ErrShutdown)
	if reqlog.ClientLeft(r.WithContext(ctx)) {
		t.Error("ClientLeft on a request the shutdown gave up on")
	}
}

// TestShutDown: work the server's shutdown cancelled (its context's
// cause ErrShutdown) fails as ErrShutdown, 503 shutting_down in Chinese,
// wrapping what the work failed with; work whose client left, or still
// running, keeps its own error, and one already ErrShutdown is not
// wrapped again.
func TestShutDown(t *testing.T) {
	work := fmt.Errorf("query: %w", context.Canceled)
	r := httptest.NewRequest("GET", "/api/v1/audit", nil)
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(reqlog.ErrShutdown)
	got := reqlog.ShutDown(r.WithContext(ctx), work)
	e := errs.As(got)
	if !errors.Is(got, reqlog.ErrShutdown) || !errors.Is(got, work) || e == nil || e.Code != "shutting_down" ||
		e.Kind.HTTPStatus() != 503 || e.Message != "服务正在关闭，请稍后重试" {
		t.Errorf("ShutDown of a request the shutdown cancelled: %v, want ErrShutdown (503 shutting_down) wrapping %v", got, work)
	}
	if again := reqlog.ShutDown(r.WithContext(ctx), got); again != got {
		t.Errorf("ShutDown of ErrShutdown wrapped it again: %v", again)
	}
	if got := reqlog.ShutDown(r, work); got != work {
		t.Errorf("ShutDown of a request still running: %v, want its error as it is", got)
	}
	ctx, cancelLeft := context.WithCancel(context.Background())
	cancelLeft()
	if got := reqlog.ShutDown(r.WithContext(ctx), work); got != work {
		t.Errorf("ShutDown of a request whose client left: %v, want its error as it is", got)
	}
	entry := &reqlog.Entry{ID: "req-5"}
	entry.Fail(e.Kind.HTTPStatus(), got)
	if l := logLine(t, entry, 503)[0]; l["level"] != "ERROR" || l["status"] != 503.0 || !strings.Contains(fmt.Sprint(l["err"]), "shutting_down") {
		t.Errorf("log line of a request the shutdown gave up on: %v, want ERROR 503 with err shutting_down", l)
	}
}

// TestNote: the reason of a refusal that is the client's doing (Note) is
// logged as err beside a 4xx at INFO, not raising the line's level; a
// second reason does not replace the first.
func TestNote(t *testing.T) {
	cut := errors.New("body: unexpected EOF")
	e := &reqlog.Entry{ID: "req-6"}
	if !e.Note(cut) {
		t.Fatal("Note on an entry returned false")
	}
	status, level, as := e.Line(400)
	if status != 400 || level != slog.LevelInfo || attrs(as)["err"].Any() != cut {
		t.Errorf("noted 400: status %d level %v attrs %v, want 400 INFO err=%v", status, level, as, cut)
	}
	e.Note(errors.New("second reason"))
	if _, _, as := e.Line(400); attrs(as)["err"].Any() != cut {
		t.Errorf("a second Note replaced the first: %v", as)
	}
}

// TestNilEntry: a handler served without the middleware has no entry:
// its methods keep nothing and return false, for the caller to log the
// error itself, and the line is the status sent's.
func TestNilEntry(t *testing.T) {
	var e *reqlog.Entry
	if e.Fail(500, errors.New("x")) || e.Left(errors.New("x")) || e.Note(errors.New("x")) {
		t.Error("a nil entry kept an error")
	}
	e.Outcome(500)
	if status, level, as := e.Line(200); status != 200 || level != slog.LevelInfo || len(as) != 0 {
		t.Errorf("nil entry: status %d level %v attrs %v, want 200 INFO and none", status, level, as)
	}
	if reqlog.From(context.Background()) != nil || reqlog.ID(context.Background()) != "" {
		t.Error("a context without an entry has one")
	}
}

// TestDetach: the work of a request whose body was read whole, through
// the body Detachable gives it, or of a write without a body, goes on
// when the connection closes, the request no longer counting as its
// client's leaving (ClientLeft), but ends when the server's shutdown
// gives up on the request (its base context, WithShutdown's, cancelled
// with ErrShutdown), as the shutdown's (ShutDown), also once the
// connection closed first; and when its handler returned (Detachable's
// release). The work of a request whose body was not read whole, or of a
// read (GET), ends with its connection, its client having left.
func TestDetach(t *testing.T) {
	for _, c := range []struct {
		name, method, body string
		read               bool // its body read whole
		closed, shutdown   bool
		detached           bool
	}{
		{"connection closed", "POST", "{}", true, true, false, true},
		{"shutdown", "POST", "{}", true, false, true, true},
		{"connection closed, then shutdown", "POST", "{}", true, true, true, true},
		{"no body, connection closed", "POST", "", false, true, false, true},
		{"body unread, connection closed", "POST", "{}", false, true, false, false},
		{"body unread, shutdown", "PUT", "{}", false, false, true, false},
		{"read, connection closed", "GET", "", false, true, false, false},
	} {
		base, abort := context.WithCancelCause(context.Background())
		conn, closeConn := context.WithCancel(reqlog.WithShutdown(base))
		r := httptest.NewRequest(c.method, "/api/v1/records/entries/1/batches", strings.NewReader(c.body)).WithContext(conn)
		if c.body == "" {
			r.Body = http.NoBody
		}
		r, release := reqlog.Detachable(r)
		if c.read {
			if _, err := io.ReadAll(r.Body); err != nil {
				t.Fatal(err)
			}
		}
		work := r.Context()
		if c.closed {
			closeConn()
		}
		if c.shutdown {
			abort(reqlog.ErrShutdown)
		}
		ended := c.shutdown || !c.detached
		if ended {
			awaitDone(t, work)
		}
		if (work.Err() != nil) != ended || (c.shutdown && context.Cause(work) != reqlog.ErrShutdown) {
			t.Errorf("%s: work's context %v (%v), want cancelled %v", c.name, work.Err(), context.Cause(work), ended)
		}
		if left := c.closed && !c.shutdown && !c.detached; reqlog.ClientLeft(r) != left {
			t.Errorf("%s: ClientLeft %v, want %v", c.name, !left, left)
		}
		if got := reqlog.ShutDown(r, context.Canceled); errors.Is(got, reqlog.ErrShutdown) != c.shutdown {
			t.Errorf("%s: ShutDown %v", c.name, got)
		}
		release()
		if work.Err() == nil {
			t.Errorf("%s: work's context not ended by Detachable's release", c.name)
		}
		closeConn()
		abort(nil)
	}
}

// cutBody is a request's body whose Read runs cut, the connection's end
// as the server sees it, and fails with err.
type cutBody struct {
	cut func()
	err error
}

func (b cutBody) Read([]byte) (int, error) { b.cut(); return 0, b.err }
func (cutBody) Close() error               { return nil }

// TestShutDownAtOnce: a handler whose read of the body failed because the
// server's shutdown gave up on it — its base context cancelled with
// ErrShutdown, then its connection closed (net.ErrClosed) — and so is
// told the read's error, or whose later work failed after the shutdown
// gave up on it, fails as the shutdown's (ShutDown) at once, as it learns
// of it, not once the watches of Detachable, on goroutines of their own,
// cancelled its context (until 2026-12-06 it could be answered 400
// body_incomplete, logged as its client's); a client that reset its
// connection first left (ClientLeft), whatever the shutdown does after.
// Each case runs many times, as the watches may be quicker.
func TestShutDownAtOnce(t *testing.T) {
	for _, c := range []struct {
		name     string
		read     bool // the body read whole first
		left     bool // the client reset its connection before the shutdown
		shutdown bool // as the shutdown's
	}{
		{"read cut by the forced close", false, false, true},
		{"work failed after the body was read whole", true, false, true},
		{"client reset, then shutdown", false, true, false},
	} {
		for range 50 {
			base, abort := context.WithCancelCause(context.Background())
			conn, closeConn := context.WithCancel(reqlog.WithShutdown(base))
			cut := func() { abort(reqlog.ErrShutdown) }
			err := error(net.ErrClosed)
			if c.left {
				cut = func() { closeConn(); abort(reqlog.ErrShutdown) }
				err = syscall.ECONNRESET
			}
			var body io.ReadCloser = cutBody{cut, err}
			if c.read {
				body = io.NopCloser(strings.NewReader("{}"))
			}
			r := httptest.NewRequest("POST", "/api/v1/auth/login", body).WithContext(conn)
			r, release := reqlog.Detachable(r)
			_, got := io.ReadAll(r.Body)
			if c.read {
				cut()
				got = context.Canceled
			}
			failed := reqlog.ShutDown(r, got)
			if errors.Is(failed, reqlog.ErrShutdown) != c.shutdown || !errors.Is(failed, got) {
				t.Fatalf("%s: ShutDown %v, want ErrShutdown %v wrapping %v", c.name, failed, c.shutdown, got)
			}
			if reqlog.ClientLeft(r) != c.left {
				t.Fatalf("%s: ClientLeft %v, want %v", c.name, !c.left, c.left)
			}
			release()
			closeConn()
		}
	}
}
