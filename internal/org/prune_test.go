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

// TestPruneSessions: the sessions expired are deleted, a chunk at a time,
// those still open kept and still valid. On both engines.
func TestPruneSessions(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		_, users := seed(t, db)
		org.SetPruneChunk(t, 2)
		u := users[org.Reviewer]
		for range 3 {
			login(t, db, u.Username, password, t0)
		}
		live := login(t, db, u.Username, password, t0.Add(10*time.Hour))
		at := t0.Add(org.SessionTTL + time.Minute)
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

// TestPruneLoginFailures: the counts of failed logins of usernames tried,
// accounts' or not, are deleted once their window is over and no lock is
// in force; one whose window runs, or whose lock does, is kept and still
// counts or refuses. On both engines.
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

		n, err := org.PruneLoginFailures(ctx, db, at)
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
		if _, err := org.PruneLoginFailures(ctx, db, at); err != nil {
			t.Fatal(err)
		}
		if left := column(t, db, `SELECT username FROM login_failures`); !slices.Equal(left, want) {
			t.Errorf("counts left on a second pass %v, want %v", left, want)
		}
	})
}
