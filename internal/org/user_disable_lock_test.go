package org_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestSetDisabledLockedWithoutIfMatch: a disable sent without If-Match
// (the CLI's, a console form without edit_tag) while another disable of
// the account is being saved waits for it and then finds the account
// disabled: it changes nothing and audits nothing. SetDisabledIf locked
// the account's row only for an If-Match, so on PostgreSQL the second had
// read the account enabled before the first committed, disabled it again
// and audited a second user.disable. On both engines.
func TestSetDisabledLockedWithoutIfMatch(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		_, users := seed(t, db)
		u := users[org.Reviewer]
		disable := func(ctx context.Context, tx *sqldb.Tx) error {
			_, err := org.SetDisabledIf(ctx, tx, admin, u.ID, true, nil, t0)
			return err
		}
		first, second := sqldbtest.Race(t, db, disable, disable)
		if first != nil || second != nil {
			t.Fatalf("disables: %v, %v", first, second)
		}
		var n int
		if err := db.Read().QueryRowContext(context.Background(), `SELECT count(*) FROM audit_log
			WHERE action = 'user.disable' AND object_id = $1`, strconv.FormatInt(u.ID, 10)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("%d user.disable rows for two disables of one account, the second after the first; want 1", n)
		}
	})
}
