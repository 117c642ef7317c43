package api_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRevokeAppNeedsItsScopes: a department administrator of the platform
// operator's department may not revoke the operator's app holding admin
// and audit.read, nor one of its keys (403 scope_not_manageable), as it
// may not create or rotate one; the refusal is audited.
func TestRevokeAppNeedsItsScopes(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		keyID := strings.Split(f.opKey, "_")[1]
		var appID int64
		if err := db.Read().QueryRowContext(t.Context(), `SELECT app_id FROM app_keys WHERE key_id = $1`, keyID).Scan(&appID); err != nil {
			t.Fatal(err)
		}
		app := "/api/v1/apps/" + itoa(appID)
		f.account(t, "nh.admin", f.deptID, "dept_admin")
		platformAdmin := f.session(t, "nh.admin")
		for _, c := range []struct{ method, path string }{{"DELETE", app + "/keys/" + keyID}, {"POST", app + "/revoke"}} {
			if r := f.do(t, c.method, c.path, "", "", platformAdmin...); r.status != 403 || r.body["code"] != "scope_not_manageable" {
				t.Errorf("%s %s: %d %v, want 403 scope_not_manageable", c.method, c.path, r.status, r.body)
			}
		}
		if r := f.do(t, "GET", "/api/v1/departments", f.opKey, ""); r.status != 200 {
			t.Errorf("the operator's key after the refusals: %d, want 200", r.status)
		}
		var denied int
		if err := db.Read().QueryRowContext(t.Context(), `SELECT count(*) FROM audit_log WHERE outcome = 'denied'
			AND action IN ('app.revoke', 'app.key.revoke') AND detail LIKE '%scope_not_manageable%'`).Scan(&denied); err != nil {
			t.Fatal(err)
		}
		if denied != 2 {
			t.Errorf("%d denied revocations audited, want 2", denied)
		}
	})
}
