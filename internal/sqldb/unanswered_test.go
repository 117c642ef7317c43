package sqldb_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestBeginAtBoundNotUnanswered: a transaction whose wait bound passes
// just before its BEGIN is sent (it had the connection as the bound
// passed), or just after the BEGIN was answered, is refused as a wait
// timeout, but the database answered: Unanswered stays zero, so /readyz
// stays ready, and the error names the timeout (no nil cause, which read
// "%!w(<nil>)"). The hooks hold the transaction until the bound has passed,
// where a tight race between its end and the BEGIN did before: a long
// import on SQLite with short transactions queued behind it made 74 false
// "unanswered" in 8 s. Then a BEGIN another process keeps waiting
// (SQLite's write lock) still sets Unanswered.
func TestBeginAtBoundNotUnanswered(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := openBounded(t, dsn)
		untilBound := func(ctx context.Context) { <-ctx.Done() }
		for _, c := range []struct {
			name          string
			before, after func(context.Context)
		}{
			{"bound passed before the BEGIN was sent", untilBound, nil},
			{"bound passed after the BEGIN was answered", nil, untilBound},
		} {
			t.Run(c.name, func(t *testing.T) {
				restore := sqldb.SetBeginHooks(c.before, c.after)
				err := db.Tx(ctx, func(tx *sqldb.Tx) error {
					t.Error("the transaction ran past its bound")
					return nil
				})
				restore()
				if !sqldb.IsWaitTimeout(err) || !sqldb.IsUnavailable(err) || strings.Contains(err.Error(), "%!") {
					t.Fatalf("got %v, want the wait timed out", err)
				}
				if at := db.Unanswered(); !at.IsZero() {
					t.Errorf("Unanswered is %v after a BEGIN the database answered", at)
				}
				if err := sqldbtest.RetryWaits(func() error {
					return db.Tx(ctx, func(tx *sqldb.Tx) error {
						_, err := tx.ExecContext(ctx, `INSERT INTO wait_probe (n) VALUES (1)`)
						return err
					})
				}); err != nil {
					t.Fatal(err)
				}
			})
		}
		if sqldb.IsPostgresDSN(dsn) {
			return // a BEGIN waits for no lock there
		}
		sqldbtest.HoldElsewhere(t, "sqlite", dsn, `BEGIN IMMEDIATE`)
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error { return nil }); !sqldb.IsWaitTimeout(err) {
			t.Fatalf("got %v, want the wait timed out", err)
		}
		if db.Unanswered().IsZero() {
			t.Error("Unanswered is zero after a BEGIN another process kept waiting")
		}
	})
}

// TestBoundedBeginCutUnanswered: on SQLite, while another process holds
// the write lock, a transaction run under an outer bound (DB.Bounded, as a
// login is) whose deadline ends the BEGIN it sent before the transaction's
// own bound passes is the database not answering too: Unanswered is set,
// so /readyz says so, where only the transaction's own bound set it and a
// server whose only writes were logins stayed ready.
func TestBoundedBeginCutUnanswered(t *testing.T) {
	ctx := context.Background()
	dsn := sqldbtest.SQLite(t).Source
	db, err := sqldb.Open(ctx, dsn, sqldb.Options{WaitTimeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sqldbtest.HoldElsewhere(t, "sqlite", dsn, `BEGIN IMMEDIATE`)
	outer, cancel := context.WithTimeoutCause(ctx, 100*time.Millisecond, sqldb.ErrWaitTimeout)
	defer cancel()
	if err := db.Tx(outer, func(tx *sqldb.Tx) error { return nil }); err == nil {
		t.Fatal("a transaction began while another process held the write lock")
	}
	if db.Unanswered().IsZero() {
		t.Error("Unanswered is zero after an outer bound cut short a BEGIN another process kept waiting")
	}
}
