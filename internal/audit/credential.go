package audit

import (
	"context"
	"errors"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// Credential is what authenticated an actor's request — a staff session,
// an API key (Actor.Credential) — for the transaction of each of its
// writes to check again before it commits. A request is authenticated as
// its headers arrive, and may send its body for as long as the server
// reads it (an upload: auth.LongRequest): a revocation, a rotation
// without grace, an account disabled or its role or department changed,
// committed meanwhile, must refuse its write, not be outlived by it.
// A Credential is a comparable value, the same for every request of one
// key or session, so that their operations still share a group-commit
// round (records.Pushes) and a transaction checks it once.
type Credential interface {
	// Check refuses, in tx, the credential no longer valid at now with an
	// Unauthenticated error (its request's code, invalid_api_key or
	// session_invalid) whose cause is ErrCredentialEnded. On PostgreSQL it
	// share-locks the rows it reads until tx ends, so that a concurrent
	// change of them either committed first and is seen, or waits for tx;
	// on SQLite the one writer tx holds keeps them out.
	Check(ctx context.Context, tx *sqldb.Tx, now time.Time) error
}

// ErrCredentialEnded is the cause of a Credential's refusal (Check).
var ErrCredentialEnded = errors.New("audit: the credential of the request ended before its write committed")

// CheckCredential checks a's credential, if it has one, in tx now, once
// per transaction (sqldb.Tx.Once): Record checks it again only as tx
// commits. A write that may end its own actor's credential — a key
// revoked or rotated away by its own app, a department disabled by its
// own account — checks it first, before it changes it, so that it is
// judged as it was when the write began.
func CheckCredential(ctx context.Context, tx *sqldb.Tx, a Actor, now time.Time) error {
	if a.Credential == nil {
		return nil
	}
	return tx.Once(checkedKey{a.Credential}, func() error { return a.Credential.Check(ctx, tx, now) })
}

// checkedKey keys a credential's check done in a transaction (Once).
type checkedKey struct{ c Credential }

// checkKey keys a credential's check deferred to its transaction's commit.
type checkKey struct{ c Credential }

// credentialCheck is the check of an actor's credential a transaction's
// audit rows ask for (Record): a Deferred, run as the transaction
// commits, before its rows are appended (pending, Final), so that the
// credential's rows are locked after every row the write locked, as a
// revocation locks them before the audit head, and none waits for another.
// It checks the credential at the time clock reads then, when the rows'
// context had one (WithClock), else at now, the rows' time.
type credentialCheck struct {
	actor Actor
	now   time.Time
	clock func() time.Time
}

// Flush checks the credential (CheckCredential).
func (c credentialCheck) Flush(ctx context.Context, tx *sqldb.Tx) error {
	now := c.now
	if c.clock != nil {
		now = c.clock()
	}
	return CheckCredential(ctx, tx, c.actor, now)
}

// checkCredentials has tx check, before it commits, the credential of
// each actor of evs that has one, at the time of the check (ctx's clock,
// WithClock) or else now.
func checkCredentials(ctx context.Context, tx *sqldb.Tx, evs []Event, now time.Time) {
	clock, _ := ctx.Value(clockKey{}).(func() time.Time)
	for _, ev := range evs {
		if c := ev.Actor.Credential; c != nil {
			tx.SetDeferred(checkKey{c}, credentialCheck{actor: ev.Actor, now: now, clock: clock})
		}
	}
}

// clockKey keys the clock of WithClock in a context.
type clockKey struct{}

// WithClock returns ctx with clock, the clock of the request ctx serves:
// the credential of a write recorded with ctx (Record) is checked at the
// time clock reads as the write commits, not at the time the write was
// given, which for an upload is its request's arrival (a key whose grace
// period ends while the body arrives is refused).
func WithClock(ctx context.Context, clock func() time.Time) context.Context {
	return context.WithValue(ctx, clockKey{}, clock)
}

// Now is the time ctx's clock (WithClock) reads, or def when ctx has
// none: the time of a row written now, as the credential's check is.
func Now(ctx context.Context, def time.Time) time.Time {
	if clock, ok := ctx.Value(clockKey{}).(func() time.Time); ok {
		return clock()
	}
	return def
}
