package org_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestOldNamesKeepChanges: a department whose name and short name, or an
// account whose display name, were stored before today's checks refuse
// them (a variation selector U+FE0F, a line separator U+2028; written here
// with SQL) can still have its credit code, region and parent, or its role
// and department, changed with those names sent unchanged; a changed name
// is still checked. On both engines.
func TestOldNamesKeepChanges(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		op, _ := seed(t, db)
		d, u, _, _ := seedOther(t, db)
		oldName, oldShort, oldDisplay := "南海区人力资源\u2028和社会保障局", "人社局\ufe0f", "人社\ufe0f管理员"
		if _, err := db.Write().ExecContext(ctx, `UPDATE departments SET name = $1, short_name = $2 WHERE id = $3`, oldName, oldShort, d.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Write().ExecContext(ctx, `UPDATE users SET display_name = $1 WHERE id = $2`, oldDisplay, u.ID); err != nil {
			t.Fatal(err)
		}
		updateDept := func(c org.DepartmentChange) (org.Department, error) {
			var out org.Department
			err := db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
				out, err = org.UpdateDepartment(ctx, tx, admin, d.ID, c, t0)
				return err
			})
			return out, err
		}
		short, province, district, parent := oldShort, "440000", "440605", op.ID
		for _, c := range []org.DepartmentChange{
			{Name: oldName, ShortName: &short, USCC: "11440605MB2C92340R", RegionCode: &province},
			{Name: oldName, USCC: "11440605MB2C92340R", RegionCode: &district, ParentID: &parent},
		} {
			if _, err := updateDept(c); err != nil {
				t.Fatalf("a change of code, region or parent keeping the old names: %v", err)
			}
		}
		got, err := org.DepartmentByID(ctx, db.Read(), d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != oldName || got.ShortName != oldShort || got.USCC != "11440605MB2C92340R" || got.RegionCode != district || got.ParentID != op.ID {
			t.Errorf("department after the changes: %+v", got)
		}
		changedShort := "人社\u2028局"
		for _, c := range []org.DepartmentChange{
			{Name: "南海区\u2028人社局", USCC: got.USCC},
			{Name: "南海区人社局\ufe0f", USCC: got.USCC},
			{Name: oldName, ShortName: &changedShort, USCC: got.USCC},
		} {
			if _, err := updateDept(c); errs.As(err) == nil || errs.As(err).Field == "" {
				t.Errorf("changed to %+q: %v; want the changed name refused", c.Name, err)
			}
		}

		display, role := oldDisplay, org.Reviewer
		var user org.User
		if err := db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
			user, err = org.UpdateUser(ctx, tx, admin, u.ID, org.UserChange{DisplayName: &display, Role: &role}, t0)
			return err
		}); err != nil {
			t.Fatalf("a change of role keeping the old display name: %v", err)
		}
		if user.DisplayName != oldDisplay || user.Role != org.Reviewer {
			t.Errorf("account after the change: %q %s", user.DisplayName, user.Role)
		}
		changed := "人社\u2028管理员"
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := org.UpdateUser(ctx, tx, admin, u.ID, org.UserChange{DisplayName: &changed}, t0)
			return err
		}); errs.As(err) == nil {
			t.Errorf("display name changed to %+q: %v; want it refused", changed, err)
		}
	})
}
