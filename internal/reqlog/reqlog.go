// Package reqlog carries, in a request's context, what the server's one
// log line of the request says beyond its status: the request's ID, the
// error of a request that failed, and whether the client left before its
// answer. The handlers that know these record them here; the server's
// middleware logs them, so that each failed request is logged once, its
// error chain beside its request ID.
package reqlog

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/hutong-gov/hutong/internal/errs"
)

// StatusClientClosed is the status a request whose client left before
// its answer is logged with, as nginx logs it ("client closed request"):
// no answer reached anyone.
const StatusClientClosed = 499

// Entry is one request's part of its log line. Its methods may be called
// on nil (a handler served without the middleware): they then keep
// nothing.
type Entry struct {
	// ID is the request's ID, answered as X-Request-ID.
	ID string

	mu         sync.Mutex
	err        error
	status     int // the outcome, when not the status sent
	clientLeft bool
}

type key struct{}

// With returns ctx carrying e.
func With(ctx context.Context, e *Entry) context.Context { return context.WithValue(ctx, key{}, e) }

// From returns the entry of ctx, nil when it has none.
func From(ctx context.Context) *Entry {
	e, _ := ctx.Value(key{}).(*Entry)
	return e
}

// ID returns the request ID of ctx, "" when it has none.
func ID(ctx context.Context) string {
	if e := From(ctx); e != nil {
		return e.ID
	}
	return ""
}

// Fail records err, the server's failure to answer the request, and the
// status it failed with: the log line is an error carrying err. It
// returns false when there is no entry, for the caller to log err itself.
func (e *Entry) Fail(status int, err error) bool {
	if e == nil {
		return false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.err == nil {
		e.err = err
	}
	e.status = status
	return true
}

// Outcome records status as the request's outcome where the status sent
// was another: the result a stream begun with 200 ended with.
func (e *Entry) Outcome(status int) {
	if e == nil {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.status = status
}

// Left records that the client left before its answer, err being what
// the request's work failed with then: the log line carries err at
// level info, with StatusClientClosed. It returns false when there is no
// entry.
func (e *Entry) Left(err error) bool {
	if e == nil {
		return false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.err, e.status, e.clientLeft = err, StatusClientClosed, true
	return true
}

// Note records err, the reason of a refusal that is the client's doing
// (a body cut short), to be logged beside the status without raising
// the line's level. It returns false when there is no entry.
func (e *Entry) Note(err error) bool {
	if e == nil {
		return false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.err == nil {
		e.err = err
	}
	return true
}

// Line returns the status, level and attributes of the log line of a
// request answered with status sent (0: nothing sent): the outcome
// recorded when there is one, the status sent then named status_sent;
// error for a 5xx; the error recorded as err; client_left=true. A client
// that left after a status was sent (a stream begun) is logged with that
// status, StatusClientClosed only when nothing was sent.
func (e *Entry) Line(sent int) (status int, level slog.Level, attrs []slog.Attr) {
	status, level = sent, slog.LevelInfo
	if e != nil {
		e.mu.Lock()
		defer e.mu.Unlock()
		if e.status != 0 && e.status != sent && !(e.clientLeft && sent != 0) {
			status = e.status
			if sent != 0 {
				attrs = append(attrs, slog.Int("status_sent", sent))
			}
		}
		if e.err != nil {
			attrs = append(attrs, slog.Any("err", e.err))
		}
		if e.clientLeft {
			attrs = append(attrs, slog.Bool("client_left", true))
		}
	}
	if status >= 500 {
		level = slog.LevelError
	}
	return status, level, attrs
}

// ClientLeft reports whether r's client left while r's work depended on
// it: its connection's context was cancelled by the server because the
// connection closed, rather than by the server's shutdown (whose cause
// is ErrShutdown, see ShutDown), and the work was not detached from it
// (Detachable). Such a request is answered nothing: its handler aborts
// it (Abort).
func ClientLeft(r *http.Request) bool {
	ctx := r.Context()
	if d, _ := ctx.Value(detachKey{}).(*detachment); d != nil {
		if d.read.Load() {
			return false
		}
		ctx = d.conn
	}
	return ctx.Err() != nil && context.Cause(ctx) == context.Canceled
}

// Abort ends r, whose client left (ClientLeft), without an answer:
// net/http drops the connection (http.ErrAbortHandler), where a handler
// returning without writing would have it answer 200 with an empty body,
// which a client that half-closed its connection after sending its
// request (shutdown(SHUT_WR), a relay passing the FIN on) still reads and
// takes for success. The server's middleware logs the request once, as
// its entry says (Left): StatusClientClosed when nothing was sent.
func Abort() { panic(http.ErrAbortHandler) }

// detachKey carries a request's *detachment (Detachable).
type detachKey struct{}

// detachment is what Detachable knows of a request: the context of its
// connection, the one the server's shutdown cancels (WithShutdown; nil
// without), whether its body was read to its end, whole or cut short
// (its work then detached from the connection), and the body's reads in
// progress.
type detachment struct {
	conn context.Context
	base context.Context
	read atomic.Bool
	// reading is held across each read of the body, for the connection's
	// cancellation to be judged once a read in progress returned: net/http
	// starts watching the connection (and cancels on a half-close) within
	// the read that sees the body's end, before that read returns.
	reading sync.Mutex
}

// detachedBody is a request's body whose end, once read (io.EOF) or cut
// short by its client's FIN (io.ErrUnexpectedEOF), detaches the request's
// work from its connection (Detachable).
type detachedBody struct {
	io.ReadCloser
	d *detachment
}

func (b detachedBody) Read(p []byte) (int, error) {
	b.d.reading.Lock()
	defer b.d.reading.Unlock()
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		b.d.read.Store(true)
	}
	return n, err
}

// shutdownKey carries the context a server's shutdown cancels
// (WithShutdown).
type shutdownKey struct{}

// WithShutdown returns base, a server's base context (its BaseContext),
// which its shutdown cancels with the cause ErrShutdown when it gives up
// on the requests in flight, marked as such: the work of its requests
// detached from their connections (Detachable) is cancelled with it. A
// request's own context cannot tell that: once its connection closed (a
// client that half-closed it, or left), its cause stays context.Canceled.
func WithShutdown(base context.Context) context.Context {
	return context.WithValue(base, shutdownKey{}, base)
}

// Detachable returns r with a context for its work that is detached from
// r's connection once r's body has been read to its end (through the
// returned r's Body): whole (io.EOF), or cut short by its client's FIN
// before the length it announced (io.ErrUnexpectedEOF: a client that
// half-closed its connection, shutdown(SHUT_WR), is still reading), or
// from the start when r is a write without a body (Content-Length 0, a
// method other than GET, HEAD or OPTIONS): the API's and the console's
// handlers get such a request. A body cut short is refused (the API's
// 400 body_incomplete), and the work that makes that refusal (a check
// that reads the database first) is not cut by the connection either
// (until 2026-12-06 it was, and the request dropped unanswered). Until
// then the context ends with r's connection's, as r's would: a client
// that reset its connection while it sent its body, or left before the
// handler read it, left (ClientLeft).
// From then on it no longer ends when r's connection closes, which a
// client that half-closes its connection after its body (legal in
// HTTP/1.1, nc -N) makes net/http do at once, but still when the
// server's shutdown gives up on r (ErrShutdown, on the base context
// WithShutdown marked), whenever r's connection closed. Work begun under
// it is finished and answered, its error too (ClientLeft is false), and
// so is what is shown after the handler returns (a refusal's page): the
// answer may fail to reach a client that left, which learns the outcome
// by retrying under its Idempotency-Key, as after a connection cut once
// the request was sent. A read (GET) is not detached: it changes
// nothing a retry would not find, and a stream (a file export) whose
// client left is told so by the end of its context alone. release,
// called once the request's handler returned, ends the context and its
// watches on the connection and the shutdown.
func Detachable(r *http.Request) (_ *http.Request, release func()) {
	conn := r.Context()
	d := &detachment{conn: conn}
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
	default:
		d.read.Store(r.ContentLength == 0)
	}
	ctx, cancel := context.WithCancelCause(context.WithoutCancel(conn))
	unwatchConn := context.AfterFunc(conn, func() {
		d.reading.Lock()
		defer d.reading.Unlock()
		if !d.read.Load() {
			cancel(context.Cause(conn))
		}
	})
	unwatchShutdown := func() bool { return false }
	if base, _ := conn.Value(shutdownKey{}).(context.Context); base != nil {
		d.base = base
		unwatchShutdown = context.AfterFunc(base, func() { cancel(context.Cause(base)) })
	}
	r = r.WithContext(context.WithValue(ctx, detachKey{}, d))
	if r.Body != nil {
		r.Body = detachedBody{r.Body, d}
	}
	return r, func() {
		unwatchConn()
		unwatchShutdown()
		cancel(context.Canceled)
	}
}

// ErrShutdown is the cause with which the server's shutdown cancels the
// contexts of the requests it gave up on (context.WithCancelCause): they
// failed for the server, answered 503 shutting_down and logged as errors,
// not as clients that left.
var ErrShutdown = errs.E(errs.Unavailable, "shutting_down", "服务正在关闭，请稍后重试")

// ShutDown returns err, what r's work failed with, as the failure it is
// when the server's shutdown cancelled r (ErrShutdown is its context's
// cause, or is to be: cause): ErrShutdown wrapping err, answered as
// ErrShutdown. Otherwise it returns err.
func ShutDown(r *http.Request, err error) error {
	if !errors.Is(cause(r.Context()), ErrShutdown) || errors.Is(err, ErrShutdown) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrShutdown, err)
}

// cause is why ctx, a request's, ended, nil while it has not. For a
// request's work (Detachable) it is the cause its context is cancelled
// with, as soon as that is decided, before the watches on the connection
// and the shutdown, which run on goroutines of their own, cancel it: a
// handler whose read of the body failed because the shutdown gave up on
// it and closed its connection (net.ErrClosed, right after the base
// context was cancelled) may see that error before its context is
// cancelled, and would take it for its client's. While the body is
// unread the connection's cause comes first, even once the context
// ended: the work of a client that reset its connection just before the
// shutdown gave up may be cancelled by the shutdown's watch first (the
// connection's waits for the body's read to return), and it left all
// the same.
func cause(ctx context.Context) error {
	d, _ := ctx.Value(detachKey{}).(*detachment)
	switch {
	case d != nil && !d.read.Load() && d.conn.Err() != nil:
		return context.Cause(d.conn)
	case ctx.Err() != nil:
		return context.Cause(ctx)
	case d != nil && d.base != nil && d.base.Err() != nil:
		return context.Cause(d.base)
	}
	return nil
}
