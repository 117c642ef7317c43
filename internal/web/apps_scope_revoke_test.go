package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/org/orgtest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRevokeAppNeedsItsScopes: a department administrator of the platform
// operator's department may not revoke its department's app holding
// audit.read or admin, nor one of its keys (403 scope_not_manageable), as
// it may not create one; an app holding only scopes it holds it may. The
// apps page offers the actions only where they would be allowed.
func TestRevokeAppNeedsItsScopes(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		by := audit.Actor{Kind: audit.ActorSystem, ID: "test"}
		apps := map[string]org.App{}
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			if _, err := orgtest.CreateUser(ctx, tx, by, org.NewUser{Username: "platform.admin", DisplayName: "钱管理",
				DepartmentID: f.depts["数管局"].ID, Role: org.DeptAdmin, Password: password}, f.clock.Now()); err != nil {
				return err
			}
			for _, scopes := range []string{"audit.read", "admin", "catalog.read"} {
				a, _, err := org.CreateApp(ctx, tx, by, org.NewApp{Name: "应用" + scopes, DepartmentID: f.depts["数管局"].ID,
					Scopes: []string{scopes}}, f.clock.Now())
				if err != nil {
					return err
				}
				apps[scopes] = a
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		c := f.client(t)
		token := c.login("platform.admin")
		// The list offers no action it would refuse: neither rotation nor
		// revocation of those apps or their keys, both of the other.
		page := c.get("/apps")
		for _, scope := range []string{"audit.read", "admin"} {
			a := apps[scope]
			wantNoBody(t, "apps page, app with "+scope, page, fmt.Sprintf(`action="/apps/%d/rotate"`, a.ID),
				fmt.Sprintf(`action="/apps/%d/revoke"`, a.ID), fmt.Sprintf(`action="/apps/%d/keys/%s/revoke"`, a.ID, a.Keys[0].ID))
		}
		wantBody(t, "apps page, app with catalog.read", page, fmt.Sprintf(`action="/apps/%d/rotate"`, apps["catalog.read"].ID),
			fmt.Sprintf(`action="/apps/%d/revoke"`, apps["catalog.read"].ID))
		for _, scope := range []string{"audit.read", "admin"} {
			a := apps[scope]
			r := c.post(fmt.Sprintf("/apps/%d/keys/%s/revoke", a.ID, a.Keys[0].ID), url.Values{"csrf_token": {token}})
			wantStatus(t, "revoke a key of an app with "+scope, r, http.StatusForbidden)
			wantBody(t, "revoke a key of an app with "+scope, r, "scope_not_manageable")
			r = c.post(fmt.Sprintf("/apps/%d/revoke", a.ID), url.Values{"csrf_token": {token}, "confirm": {"yes"}})
			wantStatus(t, "revoke an app with "+scope, r, http.StatusForbidden)
			wantBody(t, "revoke an app with "+scope, r, "scope_not_manageable")
			if n := count(t, db, `SELECT count(*) FROM app_keys WHERE app_id = $1 AND revoked_at IS NULL`, a.ID); n != 1 {
				t.Errorf("app with %s: %d active keys, want 1", scope, n)
			}
		}
		a := apps["catalog.read"]
		wantStatus(t, "revoke an app with catalog.read", c.post(fmt.Sprintf("/apps/%d/revoke", a.ID),
			url.Values{"csrf_token": {token}, "confirm": {"yes"}}), http.StatusSeeOther)
	})
}
