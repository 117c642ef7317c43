package org_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestPasswordHoldsUsername: a password that holds the account's
// username, in any case, is refused wherever a password is set — a new
// account (NewUser.Check, Hash), a reset (SetPassword, whose account
// HashNewPassword does not know) and a change of one's own
// (ChangePassword) — and nothing is stored.
func TestPasswordHoldsUsername(t *testing.T) {
	for _, tc := range []struct{ username, pw string }{
		{"gaj.t2", "gaj.t2gaj.t2"},
		{"mzj.admin", "mzj.admin123A"},
		{"mzj.admin", "Xx-MZJ.Admin-9"},
	} {
		nu := org.NewUser{Username: tc.username, DisplayName: "张三", Role: org.Reviewer, Password: tc.pw}
		if _, err := nu.Hash(context.Background()); code(err) != "password_has_username" {
			t.Errorf("new account %s with password %q: %v, want password_has_username", tc.username, tc.pw, err)
		}
	}
	nu := org.NewUser{Username: "mzj.admin", DisplayName: "张三", Role: org.Reviewer, Password: "Battery-Staple-7"}
	if _, err := nu.Hash(context.Background()); err != nil {
		t.Errorf("a password without the username: %v", err)
	}

	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		_, users := seed(t, db)
		op, u := users[org.Operator], users[org.Reviewer]
		holding := strings.ToUpper(u.Username) + "-Staple-7"
		np, err := org.HashNewPassword(context.Background(), holding)
		if err != nil {
			t.Fatal(err)
		}
		err = db.Tx(ctx, func(tx *sqldb.Tx) error { return org.SetPassword(ctx, tx, org.UserActor(op, ""), u.ID, np, t0) })
		if code(err) != "password_has_username" {
			t.Errorf("reset to %q: %v, want password_has_username", holding, err)
		}
		s := login(t, db, u.Username, password, t0)
		if err := org.ChangePassword(ctx, db, u, s.Token, password, holding, "10.1.2.3", t0); code(err) != "password_has_username" {
			t.Errorf("change to %q: %v, want password_has_username", holding, err)
		}
		login(t, db, u.Username, password, t0) // the password is unchanged
	})
}
