package org_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDepartmentDisableRetried: a disable or enable retried with the
// If-Match it was first sent with (a client that lost the response) gets
// the idempotent answer (本已停用/本已启用，未作改变), not 409
// concurrent_update: the tag includes Disabled, so the first call changed
// it, but the retry changes nothing and overwrites nothing. A change from
// another state with a stale tag is still refused. On both engines.
func TestDepartmentDisableRetried(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		seed(t, db)
		d, _, _, _ := seedOther(t, db)
		set := func(disabled bool, tag string) (org.DepartmentDisabling, error) {
			var out org.DepartmentDisabling
			err := db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
				out, err = org.SetDepartmentDisabled(ctx, tx, admin, d.ID, disabled, []string{tag}, t0)
				return err
			})
			return out, err
		}
		enabledTag := d.Tag()
		for i, want := range []bool{true, false} {
			out, err := set(true, enabledTag)
			if err != nil || out.Changed != want || !out.Department.Disabled {
				t.Fatalf("disable #%d with the enabled tag: %+v, %v; want changed %v", i+1, out, err, want)
			}
			if !want && out.Message != "部门“"+d.Name+"”本已停用，未作改变" {
				t.Errorf("disable retried: message %q", out.Message)
			}
		}
		disabled, err := org.DepartmentByID(ctx, db.Read(), d.ID)
		if err != nil {
			t.Fatal(err)
		}
		for i, want := range []bool{true, false} {
			out, err := set(false, disabled.Tag())
			if err != nil || out.Changed != want || out.Department.Disabled {
				t.Fatalf("enable #%d with the disabled tag: %+v, %v; want changed %v", i+1, out, err, want)
			}
			if !want && out.Message != "部门“"+d.Name+"”本已启用，未作改变" {
				t.Errorf("enable retried: message %q", out.Message)
			}
		}
		// A change with a tag of another state is still refused.
		if _, err := set(true, disabled.Tag()); code(err) != "concurrent_update" {
			t.Errorf("disable with the tag of the disabled department, now enabled: %v, want concurrent_update", err)
		}
	})
}
