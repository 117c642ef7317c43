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
	"log/slog"
	"net/http"
	"sync"

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
// it: its context was cancelled by the server because the connection
// closed, rather than by the server's shutdown (whose cause is
// ErrShutdown, see ShutDown), and the work was not detached from it
// (Detach). Such a request is answered nothing: its handler aborts it
// (Abort).
func ClientLeft(r *http.Request) bool {
	if detachedFrom(r) != nil {
		return false
	}
	ctx := r.Context()
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

// detachment is the context a request's work was detached to (Detach),
// and the end of Detach's watch on the server's shutdown (WithShutdown).
type detachment struct {
	mu    sync.Mutex
	ctx   context.Context
	stops []func()
}

// shutdownKey carries the context a server's shutdown cancels
// (WithShutdown).
type shutdownKey struct{}

// WithShutdown returns base, a server's base context (its BaseContext),
// which its shutdown cancels with the cause ErrShutdown when it gives up
// on the requests in flight, marked as such: the work of its requests
// detached from their connections (Detach) is cancelled with it. A
// request's own context cannot tell that: once its connection closed (a
// client that half-closed it, or left), its cause stays context.Canceled.
func WithShutdown(base context.Context) context.Context {
	return context.WithValue(base, shutdownKey{}, base)
}

// Detachable returns ctx, a request's, ready for the request's work to
// be detached from its connection (Detach): the API's and the console's
// handlers get such a context. release, called once the request's
// handler returned, ends the detached work's context and its watch on
// the server's shutdown.
func Detachable(ctx context.Context) (_ context.Context, release func()) {
	d := &detachment{}
	return context.WithValue(ctx, detachKey{}, d), func() {
		d.mu.Lock()
		defer d.mu.Unlock()
		for _, stop := range d.stops {
			stop()
		}
	}
}

// detachedFrom returns the context r's work was detached to, nil when it
// was not.
func detachedFrom(r *http.Request) context.Context {
	d, _ := r.Context().Value(detachKey{}).(*detachment)
	if d == nil {
		return nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.ctx
}

// Detach returns the context for r's work once its body has been read
// whole (spooled): one no longer cancelled when r's connection closes,
// which a client that half-closes its connection after its body (legal
// in HTTP/1.1) makes net/http do at once, but still when the server's
// shutdown gives up on r (ErrShutdown, on the base context WithShutdown
// marked), whenever r's connection closed. Work begun under it is
// finished and answered, its error too (ClientLeft is false from then on,
// when r's context is Detachable), and so is what is shown after the
// handler returns (a refusal's page): the answer may fail to reach a
// client that left, which learns the outcome by retrying under its
// Idempotency-Key, as after a connection cut once the request was sent.
// Detachable's release ends the context and its watch on the shutdown;
// without Detachable, or without WithShutdown, nothing does.
func Detach(r *http.Request) context.Context {
	orig := r.Context()
	ctx, cancel := context.WithCancelCause(context.WithoutCancel(orig))
	stop := func() { cancel(context.Canceled) }
	if base, _ := orig.Value(shutdownKey{}).(context.Context); base != nil {
		unwatch := context.AfterFunc(base, func() { cancel(context.Cause(base)) })
		stop = func() {
			unwatch()
			cancel(context.Canceled)
		}
	}
	if d, _ := orig.Value(detachKey{}).(*detachment); d != nil {
		d.mu.Lock()
		d.ctx, d.stops = ctx, append(d.stops, stop)
		d.mu.Unlock()
	}
	return ctx
}

// ErrShutdown is the cause with which the server's shutdown cancels the
// contexts of the requests it gave up on (context.WithCancelCause): they
// failed for the server, answered 503 shutting_down and logged as errors,
// not as clients that left.
var ErrShutdown = errs.E(errs.Unavailable, "shutting_down", "服务正在关闭，请稍后重试")

// ShutDown returns err, what r's work failed with, as the failure it is
// when the server's shutdown cancelled r (ErrShutdown is its context's
// cause): ErrShutdown wrapping err, answered as ErrShutdown. Otherwise it
// returns err.
func ShutDown(r *http.Request, err error) error {
	ctx := r.Context()
	if d := detachedFrom(r); d != nil {
		ctx = d
	}
	if ctx.Err() == nil || !errors.Is(context.Cause(ctx), ErrShutdown) || errors.Is(err, ErrShutdown) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrShutdown, err)
}
