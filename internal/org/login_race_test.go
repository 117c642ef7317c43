package org_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestLoginOutlivedByReset: a login whose password was checked before an
// administrator's reset, the account's own change or its disabling
// committed, and whose session would be opened after, is refused and opens
// none: the reset or change ended the account's sessions and a session
// opened with the revoked password must not outlive it.
func TestLoginOutlivedByReset(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		_, users := seed(t, db)
		reviewer, op := users[org.Reviewer], users[org.Operator]
		kept := 0 // the sessions of the account a case leaves open
		cases := []struct {
			name, code string
			meanwhile  func() error
		}{
			{"reset", "invalid_credentials", func() error {
				pw, err := org.HashNewPassword(context.Background(), "Battery-Staple-7")
				if err != nil {
					return err
				}
				return db.Tx(ctx, func(tx *sqldb.Tx) error {
					return org.SetPassword(ctx, tx, admin, reviewer.ID, pw, t0)
				})
			}},
			{"change", "invalid_credentials", func() error {
				s := login(t, db, reviewer.Username, "Battery-Staple-7", t0)
				kept = 1
				return org.ChangePassword(ctx, db, reviewer, s.Token, "Battery-Staple-7", password, "", t0)
			}},
			{"disabled", "account_disabled", func() error {
				_, err := setDisabled(db, org.UserActor(op, ""), reviewer.ID, true)
				return err
			}},
		}
		pw := password
		for _, c := range cases {
			kept = 0
			org.SetLoginChecked(t, func() {
				org.SetLoginChecked(t, nil)
				if err := c.meanwhile(); err != nil {
					t.Fatalf("%s: %v", c.name, err)
				}
			})
			s, _, err := org.Login(ctx, db, reviewer.Username, pw, org.Client{}, t0)
			if code(err) != c.code {
				t.Errorf("%s while logging in: %v, want %s", c.name, err, c.code)
			}
			if s.Token != "" {
				if _, _, err := org.SessionUser(ctx, db.Read(), s.Token, t0); err == nil {
					t.Errorf("%s while logging in: the session opened with the old password is valid", c.name)
				}
			}
			var n int
			if err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM sessions WHERE user_id = $1`, reviewer.ID).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != kept {
				t.Errorf("%s while logging in: %d sessions of the account, want %d", c.name, n, kept)
			}
			pw = map[string]string{"reset": "Battery-Staple-7", "change": password}[c.name]
		}
	})
}
