package reqlog_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/reqlog"
)

// awaitDone waits for ctx to be done, failing t if it is not within a
// bound no working run comes near.
func awaitDone(t *testing.T, ctx context.Context) {
	t.Helper()
	select {
	case <-ctx.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("context not cancelled")
	}
}

// halfClosed serves handle on a real server whose base context is
// WithShutdown(base), as serve's, and sends it request on a connection
// it then half-closes, as a client that has sent all it will does; the
// server and the connection are closed when t ends.
func halfClosed(t *testing.T, base context.Context, handle http.HandlerFunc, request string) {
	t.Helper()
	hs := &http.Server{
		BaseContext: func(net.Listener) context.Context { return reqlog.WithShutdown(base) },
		Handler:     handle,
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := c.Write([]byte(request)); err != nil {
		t.Fatal(err)
	}
	if err := c.(*net.TCPConn).CloseWrite(); err != nil {
		t.Fatal(err)
	}
}

// TestDetachHalfClosedThenShutdown: on a real server whose base context
// is WithShutdown's, as serve's, the work of a request whose body was
// read whole (Detachable) after its client sent it and half-closed its
// connection — which net/http takes for the client leaving, cancelling
// the connection's context with context.Canceled as the read that sees
// the body's end returns — goes on, and is cancelled, with ErrShutdown
// only, when the shutdown then gives up on the request (cancels the base
// context).
func TestDetachHalfClosedThenShutdown(t *testing.T) {
	base, abort := context.WithCancelCause(context.Background())
	defer abort(nil)
	closed := make(chan error, 1)
	got := make(chan error, 1)
	halfClosed(t, base, func(w http.ResponseWriter, r *http.Request) {
		conn := r.Context()
		r, release := reqlog.Detachable(r)
		defer release()
		if _, err := io.ReadAll(r.Body); err != nil {
			closed <- err
			return
		}
		work := r.Context()
		select {
		case <-conn.Done():
			closed <- context.Cause(conn)
		case <-time.After(10 * time.Second):
			closed <- errors.New("the half-closed connection did not cancel the connection's context")
			return
		}
		select {
		case <-work.Done():
			got <- context.Cause(work)
		case <-time.After(10 * time.Second):
			got <- errors.New("detached work not cancelled by the shutdown")
		}
	}, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")
	if cause := <-closed; cause != context.Canceled {
		t.Fatalf("connection's context after the client half-closed: %v, want context.Canceled", cause)
	}
	abort(reqlog.ErrShutdown)
	if err := <-got; !errors.Is(err, reqlog.ErrShutdown) {
		t.Errorf("detached work after a half-close, then the shutdown: %v, want cancelled with ErrShutdown", err)
	}
}

// TestDetachCutShortHalfClosed: on a real server, a request whose client
// sent part of the body it announced, then half-closed its connection,
// is detached once the read that finds the body cut short returned, as
// one read whole is: net/http cancels the connection's context within
// that read, but the client may still read the refusal it is owed (400
// body_incomplete), so the work that answers it is not cut by the
// connection (ClientLeft is false), only by the shutdown (ErrShutdown).
// Until 2026-12-06 it ended with the connection: a refusal that read the
// database first (a single operation's provider check) failed with
// context canceled and the request was dropped unanswered.
func TestDetachCutShortHalfClosed(t *testing.T) {
	base, abort := context.WithCancelCause(context.Background())
	defer abort(nil)
	got := make(chan error, 1)
	halfClosed(t, base, func(w http.ResponseWriter, r *http.Request) {
		conn := r.Context()
		r, release := reqlog.Detachable(r)
		defer release()
		if _, err := io.ReadAll(r.Body); !errors.Is(err, io.ErrUnexpectedEOF) {
			got <- fmt.Errorf("body read: %v, want io.ErrUnexpectedEOF", err)
			return
		}
		if context.Cause(conn) != context.Canceled {
			got <- fmt.Errorf("connection's context after the cut body's read: %v, want context.Canceled", context.Cause(conn))
			return
		}
		if reqlog.ClientLeft(r) {
			got <- errors.New("a body cut short by a half-close: ClientLeft, want its work detached")
			return
		}
		abort(reqlog.ErrShutdown)
		select {
		case <-r.Context().Done():
			got <- context.Cause(r.Context())
		case <-time.After(10 * time.Second):
			got <- errors.New("work not cancelled by the shutdown")
		}
	}, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\nhello")
	if err := <-got; !errors.Is(err, reqlog.ErrShutdown) {
		t.Errorf("work of a body cut short, then the shutdown: %v, want cancelled with ErrShutdown only", err)
	}
}
