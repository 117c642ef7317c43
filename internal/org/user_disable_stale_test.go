package org_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestSetDisabledRoleUnderLock: a disable of an account that another
// transaction makes the last enabled operator while the disable waits for
// its row (a department administrator promoted to operator and the one
// operator made an auditor) is refused (last_operator): the rule is
// checked on the account as read under its row lock. SetDisabledIf
// checked it on the account read before that lock, a department
// administrator, so on PostgreSQL it skipped the rule and left no enabled
// operator. On both engines.
func TestSetDisabledRoleUnderLock(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		_, users := seed(t, db)
		op, x := users[org.Operator], users[org.DeptAdmin]
		operator, auditor := org.Operator, org.Auditor
		swapped, disabled := sqldbtest.Race(t, db, func(ctx context.Context, tx *sqldb.Tx) error {
			if _, err := org.UpdateUser(ctx, tx, admin, x.ID, org.UserChange{Role: &operator}, t0); err != nil {
				return err
			}
			_, err := org.UpdateUser(ctx, tx, admin, op.ID, org.UserChange{Role: &auditor}, t0)
			return err
		}, func(ctx context.Context, tx *sqldb.Tx) error {
			_, err := org.SetDisabledIf(ctx, tx, admin, x.ID, true, nil, t0)
			return err
		})
		if swapped != nil || code(disabled) != "last_operator" {
			t.Errorf("promotion and demotion: %v; disable of the promoted account: %v; want it refused last_operator", swapped, disabled)
		}
		var enabled int
		if err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM users WHERE role = 'operator' AND NOT disabled`).Scan(&enabled); err != nil {
			t.Fatal(err)
		}
		if enabled != 1 {
			t.Errorf("%d enabled operator accounts; want 1", enabled)
		}
	})
}

// TestSetDisabledDepartmentUnderLock: an enable of an account that another
// transaction moves to a department and disables the department while the
// enable waits for the account's row is refused (department_disabled):
// the department checked is the account's as read under its row lock.
// SetDisabledIf checked the department of the account read before that
// lock, the one it was moved from, so on PostgreSQL it enabled an account
// of a disabled department. On both engines.
func TestSetDisabledDepartmentUnderLock(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		_, users := seed(t, db)
		d, _, _, _ := seedOther(t, db)
		x := users[org.Reviewer]
		if _, err := setDisabled(db, admin, x.ID, true); err != nil {
			t.Fatal(err)
		}
		moved, enabled := sqldbtest.Race(t, db, func(ctx context.Context, tx *sqldb.Tx) error {
			if _, err := org.UpdateUser(ctx, tx, admin, x.ID, org.UserChange{DepartmentID: &d.ID}, t0); err != nil {
				return err
			}
			_, err := org.SetDepartmentDisabled(ctx, tx, admin, d.ID, true, nil, t0)
			return err
		}, func(ctx context.Context, tx *sqldb.Tx) error {
			_, err := org.SetDisabledIf(ctx, tx, admin, x.ID, false, nil, t0)
			return err
		})
		if moved != nil || code(enabled) != "department_disabled" {
			t.Errorf("move and department disable: %v; enable of the moved account: %v; want it refused department_disabled", moved, enabled)
		}
		got, err := org.UserByID(ctx, db.Read(), x.ID)
		if err != nil || got.DepartmentID != d.ID || !got.Disabled {
			t.Errorf("account after the race: %+v %v; want disabled in department %d", got, err, d.ID)
		}
	})
}
