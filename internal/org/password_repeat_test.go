package org_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// changedOnce seeds db, opens a session of its reviewer at t0 and, a
// minute later, changes the reviewer's password to next from that
// session: the reviewer, the session and the time of the change.
func changedOnce(t *testing.T, db *sqldb.DB, next string) (org.User, org.Session, time.Time) {
	t.Helper()
	_, users := seed(t, db)
	u := users[org.Reviewer]
	s := login(t, db, u.Username, password, t0)
	changed := t0.Add(time.Minute)
	if err := org.ChangePassword(context.Background(), db, u, s.Token, password, next, "10.1.2.3", changed); err != nil {
		t.Fatal(err)
	}
	return u, s, changed
}

// TestChangePasswordRepeated: a change sent again once it has succeeded
// (the same current and new password, from the session that made it,
// soon after) is answered as done, where it was told 当前密码不正确 and
// counted towards the lock-out; it counts no failure and is audited as a
// repeat, changing nothing. It is recognised only when its current
// password is the one the change replaced: a wrong current password
// beside the account's password as the new one (a guess of the password
// in the new field, from a stolen cookie of that session) is refused and
// counted, as is a wrong current password beside a new one that is not
// the account's, the true repeat from another session, or one after
// org.RepeatWindow. On both engines.
func TestChangePasswordRepeated(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		const next = "Battery-Staple-7"
		u, here, changed := changedOnce(t, db, next)
		failures := func() int {
			var n int
			err := db.Read().QueryRowContext(ctx, `SELECT failures FROM login_failures WHERE username = $1`, u.Username).Scan(&n)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				t.Fatal(err)
			}
			return n
		}
		if err := org.ChangePassword(ctx, db, u, here.Token, password, next, "10.1.2.3", changed.Add(time.Minute)); err != nil {
			t.Errorf("the change sent again: %v, want it answered as done", err)
		}
		if n := failures(); n != 0 {
			t.Errorf("failures after the change sent again = %d, want 0", n)
		}
		rows, _, err := audit.List(ctx, db.Read(), audit.Filter{Action: "user.password", Outcome: audit.OK})
		if err != nil {
			t.Fatal(err)
		}
		repeats := 0
		for _, r := range rows {
			if f := audit.DetailFields(r.Action, r.Outcome, r.Detail); len(f) == 1 && f[0].Raw == "repeat" {
				repeats++
			}
		}
		if len(rows) != 2 || repeats != 1 {
			t.Errorf("user.password rows = %d, %d of them a repeat (labelled), want 2, 1", len(rows), repeats)
		}
		if n := audited(t, db, "user.password", audit.Denied); n != 0 {
			t.Errorf("denied user.password rows = %d, want 0", n)
		}
		login(t, db, u.Username, next, changed.Add(time.Minute))

		later := login(t, db, u.Username, next, changed.Add(2*time.Minute))
		for i, tc := range []struct {
			name    string
			session string
			current string
			pw      string
			at      time.Time
		}{
			{"a wrong current password, the account's password as the new one", here.Token, "Guessed-Wrong-3", next, changed.Add(time.Minute)},
			{"a wrong current password, a new one not the account's", here.Token, password, "Another-Pass-5", changed.Add(time.Minute)},
			{"the repeat from a session opened after the change", later.Token, password, next, changed.Add(3 * time.Minute)},
			{"the repeat long after the change", here.Token, password, next, changed.Add(org.RepeatWindow + time.Minute)},
		} {
			if err := org.ChangePassword(ctx, db, u, tc.session, tc.current, tc.pw, "10.1.2.3", tc.at); code(err) != "wrong_password" {
				t.Errorf("%s: %v, want wrong_password", tc.name, err)
			}
			if n := failures(); n != i+1 {
				t.Errorf("%s: failures = %d, want %d", tc.name, n, i+1)
			}
		}
	})
}
