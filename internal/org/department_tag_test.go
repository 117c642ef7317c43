package org_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDepartmentTagDisabled: a department's tag (the ETag of If-Match)
// changes when it is disabled or enabled, so that an enable or an edit
// started before another operator disabled it is refused
// (concurrent_update) and changes nothing (a disable is answered as
// already done: it changes nothing either); the tag the disable answers is
// the one stored. On both engines.
func TestDepartmentTagDisabled(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		seed(t, db)
		d, _, _, _ := seedOther(t, db)
		opened := d.Tag()
		set := func(disabled bool, ifMatch string) (org.DepartmentDisabling, error) {
			var out org.DepartmentDisabling
			err := db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
				out, err = org.SetDepartmentDisabled(ctx, tx, admin, d.ID, disabled, []string{ifMatch}, t0)
				return err
			})
			return out, err
		}
		out, err := set(true, opened)
		if err != nil {
			t.Fatal(err)
		}
		stored, err := org.DepartmentByID(ctx, db.Read(), d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if out.Department.Tag() == opened || out.Department.Tag() != stored.Tag() {
			t.Errorf("tag after disabling %s, stored %s, before %s: want it changed and the stored one", out.Department.Tag(), stored.Tag(), opened)
		}
		// A disable from that tag asks for the state the department has:
		// nothing changes, so nothing is overwritten, and it is answered
		// so (TestDepartmentDisableRetried: the client's own disable,
		// retried, cannot be told from another's).
		if out, err := set(true, opened); err != nil || out.Changed || !out.Department.Disabled {
			t.Errorf("disable from the tag before another's disable: %+v, %v; want unchanged, disabled", out, err)
		}
		if _, err := set(false, opened); code(err) != "concurrent_update" {
			t.Errorf("enable from the tag before another's disable: %v, want concurrent_update", err)
		}
		err = db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := org.UpdateDepartment(ctx, tx, admin, d.ID, org.DepartmentChange{Name: "南海区人社局", USCC: d.USCC,
				IfMatch: []string{opened}}, t0)
			return err
		})
		if code(err) != "concurrent_update" {
			t.Errorf("rename from the tag before another's disable: %v, want concurrent_update", err)
		}
		if got, err := org.DepartmentByID(ctx, db.Read(), d.ID); err != nil || !got.Disabled || got.Name != d.Name {
			t.Errorf("after refused changes: %+v %v, want it disabled and named %s", got, err, d.Name)
		}
		if out, err := set(false, stored.Tag()); err != nil || !out.Changed || out.Department.Tag() != opened {
			t.Errorf("enable from the stored tag: %+v %v, want enabled with the tag %s", out, err, opened)
		}
	})
}
