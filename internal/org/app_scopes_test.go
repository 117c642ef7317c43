package org_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestPlatformScopes: the platform-wide scopes (admin, audit.read) are
// refused to an app of a department that is not the platform operator's,
// on the scopes field (scope_platform_only), nothing stored; an app of the
// operator's department holds them. On both engines.
func TestPlatformScopes(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		d, _ := seed(t, db)
		other := org.Department{Name: "佛山市南海区民政局", USCC: "11440605MB2C9235XX", RegionCode: "440605"}
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error { return org.CreateDepartment(ctx, tx, admin, &other, t0) }); err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{"admin", "audit.read"} {
			if !org.PlatformOnlyScope(s) {
				t.Errorf("%s is not platform-only", s)
			}
		}
		for s := range org.Scopes {
			if s != "admin" && s != "audit.read" && org.PlatformOnlyScope(s) {
				t.Errorf("%s is platform-only", s)
			}
		}
		for _, scopes := range []string{"admin", "audit.read", "catalog.read admin", "data.read,audit.read"} {
			err := db.Tx(ctx, func(tx *sqldb.Tx) error {
				_, _, err := org.CreateApp(ctx, tx, admin, org.NewApp{Name: "越权系统", DepartmentID: other.ID, Scopes: []string{scopes}}, t0)
				return err
			})
			e := errs.As(err)
			if e == nil || e.Code != "scope_platform_only" || e.Field != "scopes" || e.Kind != errs.Invalid {
				t.Errorf("scopes %q in another department: %v, want scope_platform_only on scopes", scopes, err)
			} else if want := "只能授予政务数据主管部门的应用"; !strings.Contains(e.Message, want) {
				t.Errorf("scopes %q: message %q, want it to say %s", scopes, e.Message, want)
			}
		}
		if as, err := org.Apps(ctx, db.Read(), other.ID); err != nil || len(as) != 0 {
			t.Errorf("apps of the other department: %v %v, want none", as, err)
		}
		if n := audited(t, db, "app.create", audit.OK); n != 0 {
			t.Errorf("app.create rows = %d, want 0", n)
		}
		var stored org.App
		err := db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
			if _, _, err = org.CreateApp(ctx, tx, admin, org.NewApp{Name: "核验系统", DepartmentID: other.ID, Scopes: []string{"catalog.read data.read"}}, t0); err != nil {
				return err
			}
			stored, _, err = org.CreateApp(ctx, tx, admin, org.NewApp{Name: "运维系统", DepartmentID: d.ID, Scopes: []string{"admin audit.read"}}, t0)
			return err
		})
		if err != nil || !stored.HasScope("admin") || !stored.HasScope("audit.read") {
			t.Errorf("apps of the other department's scopes and of the operator's with admin audit.read: %+v %v", stored, err)
		}
	})
}
