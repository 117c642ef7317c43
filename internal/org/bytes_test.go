package org_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestLookupsOfBadBytes: a key id, username or department reference that
// is not UTF-8 or holds NUL names nothing, on both databases: PostgreSQL
// refused it with an error (SQLSTATE 22021) where SQLite found no row.
func TestLookupsOfBadBytes(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		seed(t, db)
		for _, bad := range []string{"ab\xff", "ab\x00c", "abcdef01234\xff", "htk_ab\xff_secret"} {
			err := db.Tx(ctx, func(tx *sqldb.Tx) error { return org.RevokeKey(ctx, tx, admin, bad, t0) })
			if got := code(err); got != "key_not_found" {
				t.Errorf("RevokeKey(%q): %s, want key_not_found", bad, got)
			}
			if _, err := org.UserByName(ctx, db.Read(), bad); code(err) != "user_not_found" {
				t.Errorf("UserByName(%q): %s, want user_not_found", bad, code(err))
			}
			if _, err := org.DepartmentByRef(ctx, db.Read(), bad); code(err) != "department_not_found" {
				t.Errorf("DepartmentByRef(%q): %s, want department_not_found", bad, code(err))
			}
		}
	})
}
