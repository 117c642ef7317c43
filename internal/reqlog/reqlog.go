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
// error for a 5xx; the error recorded as err; client_left=true.
func (e *Entry) Line(sent int) (status int, level slog.Level, attrs []slog.Attr) {
	status, level = sent, slog.LevelInfo
	if e != nil {
		e.mu.Lock()
		defer e.mu.Unlock()
		if e.status != 0 && e.status != sent {
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

// ClientLeft reports whether r's client left: its context was cancelled
// by the server because the connection closed, rather than by the
// server's shutdown (whose cause is ErrShutdown, see ShutDown).
func ClientLeft(r *http.Request) bool {
	ctx := r.Context()
	return ctx.Err() != nil && context.Cause(ctx) == context.Canceled
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
	if ctx.Err() == nil || !errors.Is(context.Cause(ctx), ErrShutdown) || errors.Is(err, ErrShutdown) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrShutdown, err)
}
