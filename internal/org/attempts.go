package org

import (
	"context"
	"time"

	"github.com/hutong-gov/hutong/internal/errs"
)

// Attempts is what a login asks of the address it comes from (the
// authentication middleware's per-address limit of failed logins,
// auth.Authenticator, which counts failed API keys apart): Allow before
// any credential is checked — an error refuses the attempt unchecked
// and unaudited; a channel (wait) has it wait until the channel is
// closed, when the attempt is given a place freed by another from the
// address or the address is throttled, and ask again, or, when its client
// leaves first, stop and call Left, which passes its place on; the
// attempt it admits is counted in flight until it ends —, then Failed
// when the attempt is refused or Passed when it is
// not (it logged in, or failed for want of the database), and Locked when
// the attempt locked its username out until then (once a lock-out: the
// attempts refused during it do not call it again), by what locked it.
// A password change whose wrong current password locks the username out
// (ChangePassword) calls Locked too, by LockedByPasswordChange.
type Attempts interface {
	Allow() (wait <-chan struct{}, err error)
	Left()
	Failed()
	Passed()
	Locked(username string, until time.Time, by LockedBy)
}

// LockedBy is what locked a username out: the attempt whose wrong
// password reached MaxLoginFailures, a login or a password change's
// current password (the failures counted are the username's, of both).
type LockedBy int

const (
	LockedByLogin LockedBy = iota
	LockedByPasswordChange
)

type attemptsKey struct{}

// WithAttempts returns ctx carrying at, for the logins made under it.
func WithAttempts(ctx context.Context, at Attempts) context.Context {
	return context.WithValue(ctx, attemptsKey{}, at)
}

// attemptsOf is the Attempts ctx carries, nil when none (the command
// line, tests).
func attemptsOf(ctx context.Context) Attempts {
	at, _ := ctx.Value(attemptsKey{}).(Attempts)
	return at
}

// failedLogin reports whether err refuses a login's credentials — wrong,
// of a disabled or locked account — rather than failing for want of the
// database: only those count towards the address's limit.
func failedLogin(err error) bool {
	switch errs.KindOf(err) {
	case errs.Unauthenticated, errs.Forbidden, errs.TooMany:
		return true
	}
	return false
}
