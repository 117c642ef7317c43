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

// TestChangePasswordRepeated: a change sent again once it has succeeded
// (the same current and new password, from the session that made it,
// soon after) is answered as done, where it was told 当前密码不正确 and
// counted towards the lock-out; it writes nothing. Anything else is
// checked as before: a wrong current password beside a new password that
// is not the account's, the same repeat from another session, or one
// after org.RepeatWindow, counts. On both engines.
func TestChangePasswordRepeated(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		_, users := seed(t, db)
		u := users[org.Reviewer]
		here := login(t, db, u.Username, password, t0)
		const next = "Battery-Staple-7"
		changed := t0.Add(time.Minute)
		if err := org.ChangePassword(ctx, db, u, here.Token, password, next, "10.1.2.3", changed); err != nil {
			t.Fatal(err)
		}
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
		if n := audited(t, db, "user.password", audit.OK); n != 1 {
			t.Errorf("user.password rows = %d, want 1 (the repeat writes none)", n)
		}
		if n := audited(t, db, "user.password", audit.Denied); n != 0 {
			t.Errorf("denied user.password rows = %d, want 0", n)
		}
		login(t, db, u.Username, next, changed.Add(time.Minute))

		later := login(t, db, u.Username, next, changed.Add(2*time.Minute))
		for i, tc := range []struct {
			name    string
			session string
			pw      string
			at      time.Time
		}{
			{"a wrong current password, a new one not the account's", here.Token, "Another-Pass-5", changed.Add(time.Minute)},
			{"the repeat from a session opened after the change", later.Token, next, changed.Add(3 * time.Minute)},
			{"the repeat long after the change", here.Token, next, changed.Add(org.RepeatWindow + time.Minute)},
		} {
			if err := org.ChangePassword(ctx, db, u, tc.session, password, tc.pw, "10.1.2.3", tc.at); code(err) != "wrong_password" {
				t.Errorf("%s: %v, want wrong_password", tc.name, err)
			}
			if n := failures(); n != i+1 {
				t.Errorf("%s: failures = %d, want %d", tc.name, n, i+1)
			}
		}
	})
}
