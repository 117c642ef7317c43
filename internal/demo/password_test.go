package demo_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// TestAccountsNotForced: the demo's accounts, whose password the README
// publishes, log in with it and go straight on: they are not made to
// change it (org.User.PasswordChangeRequired), as an account an
// administrator creates is.
func TestAccountsNotForced(t *testing.T) {
	eachSeeded(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		now := seededAt
		accounts, err := demo.Accounts(ctx, db.Read())
		if err != nil || len(accounts) == 0 {
			t.Fatalf("accounts: %d, %v", len(accounts), err)
		}
		for _, a := range accounts {
			s, u, err := org.Login(ctx, db, a.Username, demo.Password, org.Client{RemoteAddr: "192.0.2.1"}, now)
			if err != nil {
				t.Fatalf("login %s: %v", a.Username, err)
			}
			if u.PasswordChangeRequired {
				t.Errorf("%s must change the demo's password at login", a.Username)
			}
			if _, su, err := org.SessionUser(ctx, db.Read(), s.Token, now); err != nil || su.PasswordChangeRequired {
				t.Errorf("%s's session: must change %v, %v", a.Username, su.PasswordChangeRequired, err)
			}
		}
	})
}
