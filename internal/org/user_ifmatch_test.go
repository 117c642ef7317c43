package org_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestSetDisabledIfRace: a disable or an enable sent with the account's
// tag (User.Tag) while another administrator's rename of it is being
// saved waits for the rename and is then refused (concurrent_update): the
// tag is compared under the account's row lock, not with what was read
// before the rename committed. The rename is kept and the account's state
// unchanged. On both engines.
func TestSetDisabledIfRace(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		_, users := seed(t, db)
		u := users[org.Reviewer]
		for i, disabled := range []bool{true, false} {
			tag := u.Tag()
			name := []string{"改名甲", "改名乙"}[i]
			renamed, err := sqldbtest.Race(t, db, func(ctx context.Context, tx *sqldb.Tx) error {
				_, err := org.UpdateUser(ctx, tx, admin, u.ID, org.UserChange{DisplayName: &name}, t0)
				return err
			}, func(ctx context.Context, tx *sqldb.Tx) error {
				_, err := org.SetDisabledIf(ctx, tx, admin, u.ID, disabled, []string{tag}, t0)
				return err
			})
			if renamed != nil || code(err) != "concurrent_update" {
				t.Errorf("disabled=%v with the tag from before the rename: rename %v, switch %v; want it refused concurrent_update", disabled, renamed, err)
			}
			got, err := org.UserByID(t.Context(), db.Read(), u.ID)
			if err != nil || got.DisplayName != name || got.Disabled == disabled {
				t.Fatalf("after the refused switch: %+v %v; want %s, disabled %v", got, err, name, !disabled)
			}
			// The next round switches it back with the tag of the account as it is.
			if got, err = switchUser(db, got, disabled); err != nil {
				t.Fatal(err)
			}
			u = got
		}
	})
}

// switchUser disables or enables u with its tag.
func switchUser(db *sqldb.DB, u org.User, disabled bool) (org.User, error) {
	err := db.Tx(context.Background(), func(tx *sqldb.Tx) (err error) {
		u, err = org.SetDisabledIf(context.Background(), tx, admin, u.ID, disabled, []string{u.Tag()}, t0)
		return err
	})
	return u, err
}
