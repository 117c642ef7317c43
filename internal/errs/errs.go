// Package errs defines the error kinds every Hutong package returns to its
// callers, so that the HTTP layer, the CLI and the web console can turn them
// into stable codes and Chinese messages without matching strings.
package errs

import (
	"errors"
	"fmt"
	"time"
)

// Kind classifies an error for the caller. The zero Kind is Internal.
type Kind uint8

const (
	Internal        Kind = iota // unexpected; shown to users as 内部错误
	Invalid                     // bad input (400)
	Unauthenticated             // no or wrong credentials (401)
	Forbidden                   // authenticated but not allowed (403)
	NotFound                    // no such object (404)
	Conflict                    // state or uniqueness conflict (409)
	TooLarge                    // request body too large (413)
	TooMany                     // throttled (429)
	Unavailable                 // a dependency such as the audit store is down (503)
)

var kindNames = [...]string{"internal", "invalid", "unauthenticated", "forbidden", "not_found", "conflict", "too_large", "too_many_requests", "unavailable"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", k)
}

// Error is a user-facing error: a kind, a stable machine code such as
// "invalid_citizen_id", and a message in Chinese meant for people.
// Field names the offending input field, when there is one.
type Error struct {
	Kind    Kind
	Code    string
	Message string
	Field   string
	Err     error // optional cause, never shown to users
}

func (e *Error) Error() string {
	s := e.Code + ": " + e.Message
	if e.Field != "" {
		s = e.Field + ": " + s
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// E returns a user-facing error of the given kind. The code defaults to the
// kind's name when empty.
func E(kind Kind, code, message string) *Error {
	if code == "" {
		code = kind.String()
	}
	return &Error{Kind: kind, Code: code, Message: message}
}

// Field returns an Invalid error about one named input field.
func Field(field, code, message string) *Error {
	return &Error{Kind: Invalid, Code: code, Message: message, Field: field}
}

// Wrap returns a user-facing error that keeps err as its hidden cause.
func Wrap(kind Kind, code, message string, err error) *Error {
	e := E(kind, code, message)
	e.Err = err
	return e
}

// Retry is the cause of a refusal that ends by itself (a username locked
// out after failed logins): After is how long until it does, which the API
// answers as Retry-After.
type Retry struct{ After time.Duration }

func (r Retry) Error() string { return "retry after " + r.After.String() }

// KindOf reports the kind of the first *Error in err's chain, or Internal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// As returns the first *Error in err's chain, or nil.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// Is reports whether err carries the given kind.
func Is(err error, kind Kind) bool {
	e := As(err)
	return e != nil && e.Kind == kind
}

var kindStatus = [...]int{
	Internal:        500,
	Invalid:         400,
	Unauthenticated: 401,
	Forbidden:       403,
	NotFound:        404,
	Conflict:        409,
	TooLarge:        413,
	TooMany:         429,
	Unavailable:     503,
}

// HTTPStatus is the HTTP status code that answers errors of kind k.
func (k Kind) HTTPStatus() int {
	if int(k) < len(kindStatus) {
		return kindStatus[k]
	}
	return 500
}
