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
	// Check refuses, in tx, the credential no longer valid with an
	// Unauthenticated error (its request's code, invalid_api_key or
	// session_invalid) whose cause is ErrCredentialEnded: ended by a
	// change (a revocation, a logout, a rotation's grace period over)
	// at now, the time of the check, or by its own lifetime (a session's
	// fixed expiry) at arrived, the time its request arrived, so that a
	// request sent in time is not lost to the clock while its body
	// arrives. On PostgreSQL it share-locks the rows it reads until tx
	// ends, so that a concurrent change of them either committed first
	// and is seen, or waits for tx; on SQLite the one writer tx holds
	// keeps them out.
	Check(ctx context.Context, tx *sqldb.Tx, arrived, now time.Time) error
}

// ErrCredentialEnded is the cause of a Credential's refusal (Check).
var ErrCredentialEnded = errors.New("audit: the credential of the request ended before its write committed")

// CheckCredential checks a's credential, if it has one, in tx, once per
// transaction (sqldb.Tx.Once): Record checks it again only as tx
// commits. It is judged at the times of ctx's request (WithClock: its
// arrival, and the clock's time now), or at now for both when ctx has
// none. A write that may end its own actor's credential — a key revoked
// or rotated away by its own app, a department disabled by its own
// account — checks it first, before it changes it, so that it is judged
// as it was when the write began.
func CheckCredential(ctx context.Context, tx *sqldb.Tx, a Actor, now time.Time) error {
	return timesOf(ctx, now).check(ctx, tx, a)
}

// requestTimes are the times a credential is judged at (Credential.Check):
// its request's arrival, and the clock read as it is checked.
type requestTimes struct {
	arrived time.Time
	clock   func() time.Time
}

// timesOf is the one place that reads the times of ctx's request
// (WithClock): without them, a credential is judged at def, arrival and
// check alike.
func timesOf(ctx context.Context, def time.Time) requestTimes {
	if t, ok := ctx.Value(clockKey{}).(requestTimes); ok {
		return t
	}
	return requestTimes{arrived: def, clock: func() time.Time { return def }}
}

// check checks a's credential, if it has one, once in tx (CheckCredential).
func (t requestTimes) check(ctx context.Context, tx *sqldb.Tx, a Actor) error {
	if a.Credential == nil {
		return nil
	}
	return tx.Once(checkedKey{a.Credential}, func() error { return a.Credential.Check(ctx, tx, t.arrived, t.clock()) })
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
// It keeps the times of the rows' context (timesOf), the clock read then.
type credentialCheck struct {
	actor Actor
	at    requestTimes
}

// Flush checks the credential (CheckCredential).
func (c credentialCheck) Flush(ctx context.Context, tx *sqldb.Tx) error {
	return c.at.check(ctx, tx, c.actor)
}

// checkCredentials has tx check, before it commits, the credential of
// each actor of evs that has one, at the times of ctx's request
// (timesOf) or else now.
func checkCredentials(ctx context.Context, tx *sqldb.Tx, evs []Event, now time.Time) {
	at := timesOf(ctx, now)
	for _, ev := range evs {
		if c := ev.Actor.Credential; c != nil {
			tx.SetDeferred(checkKey{c}, credentialCheck{actor: ev.Actor, at: at})
		}
	}
}

// clockKey keys the times of WithClock in a context.
type clockKey struct{}

// WithClock returns ctx with the times of the request ctx serves: arrived,
// when it arrived and was authenticated, and clock, its server's clock.
// The credential of a write made with ctx (Record, CheckCredential) is
// judged at the time clock reads as it is checked, not at the time the
// write was given, which for an upload is its request's arrival (a key
// whose grace period ends while the body arrives is refused), but for
// the end of its own lifetime at arrived (a session expiring while the
// body arrives is not).
func WithClock(ctx context.Context, arrived time.Time, clock func() time.Time) context.Context {
	return context.WithValue(ctx, clockKey{}, requestTimes{arrived: arrived, clock: clock})
}

// Now is the time ctx's clock (WithClock) reads, or def when ctx has
// none: the time of a row written now, as the credential's check is.
func Now(ctx context.Context, def time.Time) time.Time {
	return timesOf(ctx, def).clock()
}
