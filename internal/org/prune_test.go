package org_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// column is the values of a text column of table, sorted.
func column(t *testing.T, db *sqldb.DB, query string) []string {
	t.Helper()
	out := sqldbtest.Column(t, db, query)
	slices.Sort(out)
	return out
}

// TestPruneSessions: the sessions expired more than org.PruneMargin ago
// are deleted, a chunk at a time, those still open kept and still valid;
// one expired more recently is kept, and refused. On both engines.
func TestPruneSessions(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		_, users := seed(t, db)
		org.SetPruneChunk(t, 2)
		u := users[org.Reviewer]
		var old org.Session
		for range 3 {
			old = login(t, db, u.Username, password, t0)
		}
		expired := t0.Add(org.SessionTTL + time.Minute)
		if n, err := org.PruneSessions(ctx, db, expired); err != nil || n != 0 {
			t.Errorf("pruned %d sessions just expired (%v), want none before the margin", n, err)
		}
		if _, _, err := org.SessionUser(ctx, db.Read(), old.Token, expired); code(err) != "session_invalid" {
			t.Errorf("a session expired, not yet pruned: %v, want session_invalid", err)
		}
		at := expired.Add(org.PruneMargin)
		live := login(t, db, u.Username, password, at.Add(-time.Hour))
		n, err := org.PruneSessions(ctx, db, at)
		if err != nil || n != 3 {
			t.Errorf("pruned %d sessions (%v), want the 3 expired", n, err)
		}
		if left := column(t, db, `SELECT token_hash FROM sessions`); len(left) != 1 {
			t.Errorf("%d sessions left, want the one open", len(left))
		}
		if _, _, err := org.SessionUser(ctx, db.Read(), live.Token, at); err != nil {
			t.Errorf("the open session: %v", err)
		}
		if n, err := org.PruneSessions(ctx, db, at); err != nil || n != 0 {
			t.Errorf("pruned again: %d (%v), want none", n, err)
		}
	})
}

// TestPruneClockAhead: an upkeep pass on a server whose clock is hours
// ahead (a hardware clock in local time read as UTC at boot, one of
// several servers over one database) deletes neither a session nor a lock
// still in force by the right time, and a logout there ends only its own
// session. On both engines.
func TestPruneClockAhead(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		_, users := seed(t, db)
		u, other := users[org.Reviewer], users[org.Auditor]
		s := login(t, db, u.Username, password, t0)
		kept := login(t, db, other.Username, password, t0)
		for range org.MaxLoginFailures {
			if _, _, err := org.Login(ctx, db, "ghost.locked", "Wrong-Horse-9", org.Client{}, t0); code(err) == "" {
				t.Fatal("ghost.locked logged in")
			}
		}
		ahead := t0.Add(5*time.Hour + 8*time.Hour)
		if _, err := org.PruneSessions(ctx, db, ahead); err != nil {
			t.Fatal(err)
		}
		if _, err := org.PruneLoginFailures(ctx, db, ahead); err != nil {
			t.Fatal(err)
		}
		closing := login(t, db, u.Username, password, ahead)
		if err := org.Logout(ctx, db, u, closing.Token, "10.1.2.3", ahead); err != nil {
			t.Fatal(err)
		}
		right := t0.Add(5*time.Hour + time.Minute)
		for _, tok := range []string{s.Token, kept.Token} {
			if _, _, err := org.SessionUser(ctx, db.Read(), tok, right); err != nil {
				t.Errorf("a session valid to %s, after the clock ahead: %v, want valid", t0.Add(org.SessionTTL), err)
			}
		}
		if _, _, err := org.Login(ctx, db, "ghost.locked", "Wrong-Horse-9", org.Client{}, t0.Add(time.Minute)); code(err) != "login_locked" {
			t.Errorf("the lock in force, after the clock ahead: %v, want login_locked", err)
		}
	})
}

// TestPruneLoginFailures: the counts of failed logins of usernames tried,
// accounts' or not, are deleted org.PruneMargin after their window is
// over and no lock is in force; one whose window runs, or whose lock
// does, is kept and still counts or refuses. On both engines.
func TestPruneLoginFailures(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		_, users := seed(t, db)
		org.SetPruneChunk(t, 2)
		at := t0.Add(time.Hour)
		fail := func(username string, when time.Time) {
			t.Helper()
			if _, _, err := org.Login(ctx, db, username, "Wrong-Horse-9", org.Client{}, when); code(err) == "" {
				t.Fatalf("%s logged in with a wrong password", username)
			}
		}
		fail(users[org.Reviewer].Username, t0)
		fail("ghost.a", t0)
		fail("ghost.b", t0)
		fail("ghost.recent", at.Add(-5*time.Minute))
		// Locked until 15 minutes after its fifth failure; its count began
		// before the window now ending.
		fail("ghost.locked", at.Add(-20*time.Minute))
		for range org.MaxLoginFailures - 1 {
			fail("ghost.locked", at.Add(-6*time.Minute))
		}
		// Locked, the lock over since.
		for range org.MaxLoginFailures {
			fail("ghost.unlocked", at.Add(-40*time.Minute))
		}

		// The pass runs org.PruneMargin later: what it deletes is what no
		// longer counts at at.
		pruneAt := at.Add(org.PruneMargin)
		n, err := org.PruneLoginFailures(ctx, db, pruneAt)
		if err != nil || n != 4 {
			t.Errorf("pruned %d counts (%v), want 4", n, err)
		}
		want := []string{"ghost.locked", "ghost.recent"}
		if left := column(t, db, `SELECT username FROM login_failures`); !slices.Equal(left, want) {
			t.Errorf("counts left %v, want %v", left, want)
		}
		if _, _, err := org.Login(ctx, db, "ghost.locked", "Wrong-Horse-9", org.Client{}, at); code(err) != "login_locked" {
			t.Errorf("login of the username locked: %v, want login_locked", err)
		}
		for range org.MaxLoginFailures - 2 {
			fail("ghost.recent", at)
		}
		if _, _, err := org.Login(ctx, db, "ghost.recent", "Wrong-Horse-9", org.Client{}, at); code(err) != "invalid_credentials" {
			t.Fatalf("fifth failure: %v", err)
		}
		if _, _, err := org.Login(ctx, db, "ghost.recent", "Wrong-Horse-9", org.Client{}, at); code(err) != "login_locked" {
			t.Errorf("after a fifth failure within the window kept: %v, want login_locked", err)
		}
		if _, err := org.PruneLoginFailures(ctx, db, pruneAt); err != nil {
			t.Fatal(err)
		}
		if left := column(t, db, `SELECT username FROM login_failures`); !slices.Equal(left, want) {
			t.Errorf("counts left on a second pass %v, want %v", left, want)
		}
	})
}
