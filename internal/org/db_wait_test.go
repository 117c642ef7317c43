package org_test

import (
	"context"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// waitBound is the wait bound (sqldb.Options.WaitTimeout) of the
// databases these tests open; hangAfter is how long they let a login or
// logout take before failing it as hanging, far above it.
const (
	waitBound = 200 * time.Millisecond
	hangAfter = 8 * time.Second
)

// openBounded opens dsn with the wait bound waitBound.
func openBounded(t *testing.T, dsn string) *sqldb.DB {
	t.Helper()
	db, err := sqldb.Open(t.Context(), dsn, sqldb.Options{WaitTimeout: waitBound})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// loginRetried is login on a database opened by openBounded, tried again
// while it outlasts the short bound with nothing held, as a login can on
// a loaded machine (sqldbtest.RetryWaits).
func loginRetried(t *testing.T, db *sqldb.DB, username, pw string, at time.Time) org.Session {
	t.Helper()
	var s org.Session
	if err := sqldbtest.RetryWaits(func() (err error) {
		s, _, err = org.Login(context.Background(), db, username, pw, org.Client{RemoteAddr: "10.1.2.3"}, at)
		return err
	}); err != nil {
		t.Fatalf("login %s: %v", username, err)
	}
	return s
}

// refusedUnavailable runs f and checks that it fails as the database
// unavailable (database_unavailable, 503) before hangAfter; release lets
// go of what it waits for when it hangs.
func refusedUnavailable(t *testing.T, what string, release func(), f func() error) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		if u := sqldb.Unavailable(err); u == nil || u.Code != "database_unavailable" {
			t.Errorf("%s while the database does not answer: %v, want database_unavailable", what, err)
		}
	case <-time.After(hangAfter):
		release()
		t.Fatalf("%s still waits for a database that does not answer, past its bound", what)
	}
}

// TestLoginLogoutBoundedWhileLocked: while another session holds the
// tables a login and a logout write (on PostgreSQL, LOCK TABLE … ACCESS
// EXCLUSIVE; on SQLite, a transaction of the process holding the one
// writer), a login, a wrong password's login and a logout are refused
// database_unavailable within their wait bound, where they waited for as
// long as the lock was held; the session refused its logout stays open,
// and once the lock is let go both succeed (tried again while they
// outlast the short bound with nothing held, as on a loaded machine).
func TestLoginLogoutBoundedWhileLocked(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db := openBounded(t, dsn)
		ctx := context.Background()
		_, users := seed(t, db)
		u := users[org.Auditor]
		s := loginRetried(t, db, u.Username, password, t0)

		release := sqldbtest.HoldWrite(t, db, "login_failures", "sessions")
		client := org.Client{RemoteAddr: "10.1.2.3"}
		refusedUnavailable(t, "a login", release, func() error {
			_, _, err := org.Login(ctx, db, u.Username, password, client, t0)
			return err
		})
		refusedUnavailable(t, "a wrong password's login", release, func() error {
			_, _, err := org.Login(ctx, db, u.Username, "wrong-"+password, client, t0)
			return err
		})
		refusedUnavailable(t, "a logout", release, func() error {
			return org.Logout(ctx, db, u, s.Token, client.RemoteAddr, t0)
		})
		release()

		if _, _, err := org.SessionUser(ctx, db.Read(), s.Token, t0); err != nil {
			t.Fatalf("the session whose logout was refused: %v, want still open", err)
		}
		if err := sqldbtest.RetryWaits(func() error {
			return org.Logout(ctx, db, u, s.Token, client.RemoteAddr, t0)
		}); err != nil {
			t.Fatalf("logout once the lock is let go: %v", err)
		}
		loginRetried(t, db, u.Username, password, t0)
	})
}

// TestLoginLogoutBoundedStalledServer: on a PostgreSQL server that has
// stopped answering (its connections held, as under SIGSTOP), a login, a
// logout and a session's lookup bounded as the authenticator bounds it
// are refused database_unavailable within their wait bound, where they
// waited for as long as the server was stopped.
func TestLoginLogoutBoundedStalledServer(t *testing.T) {
	dsn, stall := sqldbtest.Stalling(t, sqldbtest.PostgresDSN(t))
	db := openBounded(t, dsn)
	ctx := context.Background()
	_, users := seed(t, db)
	user := users[org.Auditor]
	s := loginRetried(t, db, user.Username, password, t0)

	stall.Store(true)
	release := func() { stall.Store(false) }
	defer release()
	client := org.Client{RemoteAddr: "10.1.2.3"}
	refusedUnavailable(t, "a login", release, func() error {
		_, _, err := org.Login(ctx, db, user.Username, password, client, t0)
		return err
	})
	refusedUnavailable(t, "a logout", release, func() error {
		return org.Logout(ctx, db, user, s.Token, client.RemoteAddr, t0)
	})
	refusedUnavailable(t, "a session's lookup", release, func() error {
		return db.Bounded(ctx, func(ctx context.Context) error {
			_, _, err := org.SessionUser(ctx, db.Read(), s.Token, t0)
			return err
		})
	})
	release()

	if _, _, err := org.SessionUser(ctx, db.Read(), s.Token, t0); err != nil {
		t.Fatalf("the session once the server answers again: %v", err)
	}
}
