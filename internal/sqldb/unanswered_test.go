package sqldb_test

import (
	"context"
	"database/sql"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

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
	// It carries a monotonic reading, which time.Since (/readyz) then
	// measures by, not the wall clock a step may move.
	if at := db.Unanswered(); !strings.Contains(at.String(), " m=") {
		t.Errorf("Unanswered() = %v, want a monotonic reading", at)
	}
}

// TestOuterBoundPassedBeforeBeginNotUnanswered: a transaction under an
// outer bound (a context ending with ErrWaitTimeout, as DB.Bounded's)
// whose deadline passed once it had its connection, before its BEGIN
// was sent, is refused as a wait timeout, but nothing went unanswered:
// Unanswered stays zero, where the BEGIN the driver then refused for the
// context ended counted as one cut short and /readyz said not ready.
func TestOuterBoundPassedBeforeBeginNotUnanswered(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db, err := sqldb.Open(ctx, dsn, sqldb.Options{WaitTimeout: time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		restore := sqldb.SetBeginHooks(func(ctx context.Context) { <-ctx.Done() }, nil)
		defer restore()
		outer, cancel := context.WithTimeoutCause(ctx, 100*time.Millisecond, sqldb.ErrWaitTimeout)
		defer cancel()
		err = db.Tx(outer, func(tx *sqldb.Tx) error {
			t.Error("the transaction ran past its outer bound")
			return nil
		})
		if err == nil || !errors.Is(context.Cause(outer), sqldb.ErrWaitTimeout) {
			t.Fatalf("got %v, want the transaction refused once its outer bound passed", err)
		}
		if at := db.Unanswered(); !at.IsZero() {
			t.Errorf("Unanswered is %v after a BEGIN sent once the outer bound had passed", at)
		}
	})
}

// TestBoundedTxOneBound: BoundedTx runs a short transaction under one
// bound, its wait and its work: work outlasting the bound is refused as
// a wait timeout, rolled back (no COMMIT sent, also when the work
// returned no error), and is no BEGIN unanswered; a bound that
// passes just before the BEGIN is sent or just after it is answered is a
// wait timeout, not the database unanswered (no second timer finds the
// BEGIN cut short); on SQLite, a BEGIN another process keeps waiting past
// the bound is the database not answering (Unanswered), as under Tx.
func TestBoundedTxOneBound(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := openBounded(t, dsn)
		refused := func(t *testing.T, err error) {
			t.Helper()
			if u := sqldb.Unavailable(err); !sqldb.IsWaitTimeout(err) || u == nil || u.Code != "database_unavailable" {
				t.Fatalf("got %v, want the wait timed out, database_unavailable", err)
			}
			if at := db.Unanswered(); !at.IsZero() {
				t.Errorf("Unanswered is %v after a BEGIN the database answered", at)
			}
		}
		// Work that ends as the bound passes, with the context's error or
		// none: no COMMIT is sent once the bound has passed.
		for _, ended := range []func(ctx context.Context) error{context.Cause, func(context.Context) error { return nil }} {
			err := db.BoundedTx(ctx, func(ctx context.Context, tx *sqldb.Tx) error {
				if _, err := tx.ExecContext(ctx, `INSERT INTO wait_probe (n) VALUES (1)`); err != nil {
					return err
				}
				<-ctx.Done()
				return ended(ctx)
			})
			refused(t, err)
		}
		var n int
		if err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM wait_probe`).Scan(&n); err != nil || n != 0 {
			t.Errorf("%d rows (%v) written by a transaction its bound ended, want none", n, err)
		}
		untilBound := func(ctx context.Context) { <-ctx.Done() }
		for _, hooks := range [][2]func(context.Context){{untilBound, nil}, {nil, untilBound}} {
			restore := sqldb.SetBeginHooks(hooks[0], hooks[1])
			err := db.BoundedTx(ctx, func(ctx context.Context, tx *sqldb.Tx) error {
				t.Error("the transaction ran past its bound")
				return nil
			})
			restore()
			refused(t, err)
		}
		if err := sqldbtest.RetryWaits(func() error {
			return db.BoundedTx(ctx, func(ctx context.Context, tx *sqldb.Tx) error {
				_, err := tx.ExecContext(ctx, `INSERT INTO wait_probe (n) VALUES (2)`)
				return err
			})
		}); err != nil {
			t.Fatal(err)
		}
		if sqldb.IsPostgresDSN(dsn) {
			return // a BEGIN waits for no lock there
		}
		sqldbtest.HoldElsewhere(t, "sqlite", dsn, `BEGIN IMMEDIATE`)
		if err := db.BoundedTx(ctx, func(ctx context.Context, tx *sqldb.Tx) error { return nil }); !sqldb.IsWaitTimeout(err) {
			t.Fatalf("got %v, want the wait timed out", err)
		}
		if db.Unanswered().IsZero() {
			t.Error("Unanswered is zero after a BEGIN another process kept waiting")
		}
	})
}

// TestStalledServerUnanswered: on PostgreSQL, a transaction whose first
// round trip to a server that has stopped answering (its connections
// held, as under SIGSTOP) goes unanswered past the bound is the database
// not answering, Unanswered set, so /readyz says so, whether that trip is
// the BEGIN, the ping pgx sends before reusing a connection idle for more
// than a second, or a new connection's start: the bound ended the ping
// and the start as a wait for a connection, which is not, and a stalled
// server went unseen but for a connection reused within a second.
func TestStalledServerUnanswered(t *testing.T) {
	pg := sqldbtest.PostgresDSN(t)
	ctx := context.Background()
	for _, c := range []struct {
		name    string
		prepare func(db *sqldb.DB)
		run     func(db *sqldb.DB) error
	}{
		{"BEGIN, Tx", func(db *sqldb.DB) {
			// Reused once, the connection is not pinged again within a second.
			if _, err := db.Write().ExecContext(ctx, `SELECT 1`); err != nil {
				t.Fatal(err)
			}
		}, func(db *sqldb.DB) error {
			return db.Tx(ctx, func(tx *sqldb.Tx) error { return nil })
		}},
		{"ping, Tx", func(*sqldb.DB) { time.Sleep(1500 * time.Millisecond) }, func(db *sqldb.DB) error {
			return db.Tx(ctx, func(tx *sqldb.Tx) error { return nil })
		}},
		{"ping, BoundedTx", func(*sqldb.DB) { time.Sleep(1500 * time.Millisecond) }, func(db *sqldb.DB) error {
			return db.BoundedTx(ctx, func(ctx context.Context, tx *sqldb.Tx) error { return nil })
		}},
		{"new connection, BoundedTx", func(db *sqldb.DB) { db.Pools()["read"].SetMaxIdleConns(0) }, func(db *sqldb.DB) error {
			return db.BoundedTx(ctx, func(ctx context.Context, tx *sqldb.Tx) error { return nil })
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dsn, stall := sqldbtest.Stalling(t, pg)
			db, err := sqldb.Open(ctx, dsn, sqldb.Options{WaitTimeout: waitBound})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			c.prepare(db)
			stall.Store(true)
			defer stall.Store(false)
			if err := c.run(db); !sqldb.IsWaitTimeout(err) && !sqldb.IsUnavailable(err) {
				t.Fatalf("got %v, want the database unavailable", err)
			}
			if db.Unanswered().IsZero() {
				t.Error("Unanswered is zero after a stalled server left a transaction's first round trip unanswered")
			}
		})
	}
}

// TestBoundedTxCommitNotCut: a COMMIT that BoundedTx sent before its
// bound passed is not cut short by the bound. On PostgreSQL the server's
// answer, held (sqldbtest.Stalling) until the bound has passed, is waited
// for and the transaction reported committed, where the bound cut the
// wait and the COMMIT, which had reached the server, was reported as the
// database not answering in time, rolled back: a login stored with its
// session and audit row was answered 503 database_unavailable. So a
// BoundedTx refused as a wait timeout wrote nothing, and one reported
// committed wrote its row: each success here is one row. A caller that
// leaves while the COMMIT waits, once it is on the wire (held by the
// proxy), gets its own context's error, as under Tx, not the database's.
// (One leaving before the COMMIT is sent: TestCallerLeavesBeforeCommit.)
func TestBoundedTxCommitNotCut(t *testing.T) {
	ctx := context.Background()
	dsn, stall, held := sqldbtest.StallingHeld(t, sqldbtest.PostgresDSN(t))
	db := openBounded(t, dsn)
	// commitHeld runs a transaction writing a row of wait_probe with the
	// server's answers held from the end of its work until until returns.
	commitHeld := func(run func(fn func(ctx context.Context, tx *sqldb.Tx) error) error, until func()) error {
		released := make(chan struct{})
		stalled := false
		err := run(func(ctx context.Context, tx *sqldb.Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO wait_probe (n) VALUES (1)`); err != nil {
				return err
			}
			// What a stall before this one held is no COMMIT of this one.
			select {
			case <-held:
			default:
			}
			stalled = true
			stall.Store(true)
			go func() {
				until()
				stall.Store(false)
				close(released)
			}()
			return nil
		})
		if stalled {
			<-released
		}
		return err
	}
	bounded := func(ctx context.Context) func(fn func(ctx context.Context, tx *sqldb.Tx) error) error {
		return func(fn func(ctx context.Context, tx *sqldb.Tx) error) error { return db.BoundedTx(ctx, fn) }
	}
	if err := sqldbtest.RetryWaits(func() error {
		// The bound, which began before the work, has passed once as
		// long again has.
		return commitHeld(bounded(ctx), func() { <-time.After(waitBound) })
	}); err != nil {
		t.Fatalf("got %v, want the transaction committed once the server answered its COMMIT", err)
	}
	var n int
	if err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM wait_probe`).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d rows (%v), want the one a transaction reported committed wrote", n, err)
	}
	if at := db.Unanswered(); !at.IsZero() {
		t.Errorf("Unanswered is %v after a COMMIT the server answered", at)
	}

	for name, run := range map[string]func(ctx context.Context) func(fn func(ctx context.Context, tx *sqldb.Tx) error) error{
		"BoundedTx": bounded,
		"Tx": func(ctx context.Context) func(fn func(ctx context.Context, tx *sqldb.Tx) error) error {
			return func(fn func(ctx context.Context, tx *sqldb.Tx) error) error {
				return db.Tx(ctx, func(tx *sqldb.Tx) error { return fn(ctx, tx) })
			}
		},
	} {
		t.Run("caller leaves, "+name, func(t *testing.T) {
			caller, leave := context.WithCancel(ctx)
			defer leave()
			// The caller leaves once the COMMIT, which nothing sent
			// before it in the stall, is held on the wire.
			err := sqldbtest.RetryWaits(func() error {
				return commitHeld(run(caller), func() { <-held; leave() })
			})
			if !errors.Is(err, context.Canceled) || sqldb.IsWaitTimeout(err) || sqldb.IsUnavailable(err) {
				t.Fatalf("got %v, want the caller's context canceled, not the database's failure", err)
			}
		})
	}
}

// TestCallerLeavesBeforeCommit: a caller that leaves once its
// transaction's work is done, before the COMMIT is sent, gets its own
// context's error, under Tx and BoundedTx, on both engines, and the
// transaction wrote nothing: database/sql had rolled it back as the
// context ended, and its refusal of the COMMIT that followed
// (sql.ErrTxDone, "transaction has already been committed or rolled
// back") was returned as the commit's failure, not the caller's context,
// which read as a database failure and could read as committed.
func TestCallerLeavesBeforeCommit(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db := openBounded(t, dsn)
		for _, bounded := range []bool{false, true} {
			caller, leave := context.WithCancel(context.Background())
			work := func(ctx context.Context, tx *sqldb.Tx) error {
				if _, err := tx.ExecContext(ctx, `INSERT INTO wait_probe (n) VALUES (1)`); err != nil {
					return err
				}
				leave()
				// Until database/sql has rolled the transaction back.
				for {
					if _, err := tx.Tx.ExecContext(context.Background(), `SELECT 1`); errors.Is(err, sql.ErrTxDone) {
						return nil
					}
					runtime.Gosched()
				}
			}
			var err error
			if bounded {
				err = db.BoundedTx(caller, work)
			} else {
				err = db.Tx(caller, func(tx *sqldb.Tx) error { return work(caller, tx) })
			}
			if !errors.Is(err, context.Canceled) || sqldb.IsWaitTimeout(err) || sqldb.IsUnavailable(err) || strings.Contains(err.Error(), "committed") {
				t.Errorf("bounded %v: got %v, want the caller's context canceled", bounded, err)
			}
		}
		var n int
		if err := db.Read().QueryRowContext(context.Background(), `SELECT count(*) FROM wait_probe`).Scan(&n); err != nil || n != 0 {
			t.Errorf("%d rows (%v) written by transactions rolled back as their callers left", n, err)
		}
	})
}

// TestStalledConnectTimedOutUnanswered: on PostgreSQL, a new connection
// to a server that has stopped answering, which its connect_timeout (the
// default, 10 s) ends before the wait bound (15 s) passes, is the
// database not answering too: Unanswered is set, where only the bound
// cutting the connection's start set it and, with the defaults, a stalled
// server reached through new connections left /readyz ready. The error
// stays the connection timed out (pgx's ConnectError, the database
// unavailable), not ErrWaitTimeout: the bound had not passed.
func TestStalledConnectTimedOutUnanswered(t *testing.T) {
	ctx := context.Background()
	defer sqldb.SetDefaultConnectTimeout(waitBound)()
	pg := sqldbtest.PostgresDSN(t)
	for name, run := range map[string]func(db *sqldb.DB) error{
		"Tx": func(db *sqldb.DB) error { return db.Tx(ctx, func(tx *sqldb.Tx) error { return nil }) },
		"BoundedTx": func(db *sqldb.DB) error {
			return db.BoundedTx(ctx, func(ctx context.Context, tx *sqldb.Tx) error { return nil })
		},
	} {
		t.Run(name, func(t *testing.T) {
			dsn, stall := sqldbtest.Stalling(t, pg)
			db, err := sqldb.Open(ctx, dsn, sqldb.Options{WaitTimeout: time.Hour})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			db.Pools()["read"].SetMaxIdleConns(0)
			stall.Store(true)
			defer stall.Store(false)
			err = run(db)
			var ce *pgconn.ConnectError
			if !errors.As(err, &ce) || !errors.Is(err, context.DeadlineExceeded) || sqldb.IsWaitTimeout(err) || !sqldb.IsUnavailable(err) {
				t.Fatalf("got %v, want the connection timed out", err)
			}
			if db.Unanswered().IsZero() {
				t.Error("Unanswered is zero after a stalled server left a new connection unanswered past its connect_timeout")
			}
		})
	}
}

// TestRoundTripAtBoundNotUnanswered: on PostgreSQL, a transaction whose
// wait bound passes just after the server answered its first round trip
// (the ping before reusing a connection idle for more than a second, a
// new connection's start), once it has its connection and before its
// BEGIN is sent, is refused as a wait timeout, but the server answered:
// Unanswered stays zero. The round trip is marked answered where pgx
// returns from it (its ResetSession and AfterConnect), where it was only
// once the transaction had its connection, and the bound passing between
// the two marked the writes unanswered, as a BEGIN answered at the bound
// did (TestBeginAtBoundNotUnanswered).
func TestRoundTripAtBoundNotUnanswered(t *testing.T) {
	ctx := context.Background()
	pg := sqldbtest.PostgresDSN(t)
	for _, c := range []struct {
		name    string
		prepare func(db *sqldb.DB)
	}{
		// Idle for more than a second, the connection is pinged.
		{"ping", func(*sqldb.DB) { time.Sleep(1500 * time.Millisecond) }},
		{"new connection", func(db *sqldb.DB) { db.Pools()["read"].SetMaxIdleConns(0) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			db, err := sqldb.Open(ctx, pg, sqldb.Options{WaitTimeout: waitBound})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			c.prepare(db)
			restore := sqldb.SetBeginHooks(func(ctx context.Context) { <-ctx.Done() }, nil)
			err = db.Tx(ctx, func(tx *sqldb.Tx) error {
				t.Error("the transaction ran past its bound")
				return nil
			})
			restore()
			if !sqldb.IsWaitTimeout(err) {
				t.Fatalf("got %v, want the wait timed out", err)
			}
			if at := db.Unanswered(); !at.IsZero() {
				t.Errorf("Unanswered is %v after a round trip the server answered", at)
			}
		})
	}
}
