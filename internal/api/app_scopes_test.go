package api_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestPlatformScopesOfApps: POST /api/v1/apps refuses the platform-wide
// scopes (admin, audit.read) to an app of another department than the
// platform operator's, even from the operator: 400 scope_platform_only on
// scopes, said in Chinese, nothing stored. An app stored with them anyway
// (by hand, by an older version) is not granted them. On both engines.
func TestPlatformScopesOfApps(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		apps := f.count(t, "apps")
		for _, scopes := range []string{`["admin"]`, `["audit.read"]`, `["catalog.read","admin"]`, `["data.read audit.read"]`} {
			r := f.do(t, "POST", "/api/v1/apps", f.opKey, `{"name":"区民政越权","department_id":`+itoa(f.otherID)+`,"scopes":`+scopes+`}`)
			if detail, _ := r.body["detail"].(string); r.status != 400 || r.body["code"] != "scope_platform_only" || r.body["field"] != "scopes" || !hasHan(detail) {
				t.Errorf("operator gives another department's app %s: %d %v", scopes, r.status, r.body)
			}
		}
		if n := f.count(t, "apps"); n != apps {
			t.Errorf("apps = %d after the refusals, want %d", n, apps)
		}
		r := f.do(t, "POST", "/api/v1/apps", f.opKey, `{"name":"审计","department_id":`+itoa(f.deptID)+`,"scopes":["audit.read"]}`)
		if r.status != 201 {
			t.Errorf("operator gives its own department's app audit.read: %d %v", r.status, r.body)
		}

		if _, err := db.Write().ExecContext(context.Background(), `UPDATE apps SET scopes = 'admin audit.read catalog.read' WHERE id = $1`, f.otherAppID); err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/api/v1/users", "/api/v1/audit", "/api/v1/apps?department_id=" + itoa(f.deptID)} {
			if r := f.do(t, "GET", path, f.readKey, ""); r.status != 403 {
				t.Errorf("GET %s with a key of another department's app stored with admin audit.read: %d %v, want 403", path, r.status, r.body["code"])
			}
		}
		r = f.do(t, "POST", "/api/v1/apps", f.readKey, `{"name":"自授","scopes":["catalog.read"]}`)
		if r.status != 403 {
			t.Errorf("that app creates an app: %d %v, want 403", r.status, r.body)
		}
	})
}
