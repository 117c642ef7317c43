package api_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRevokeAppTwice: a second revocation of an app is 409 app_revoked, as
// its rotation is, not 404: the app exists, and reading it shows when it
// was revoked. A new app cannot take a revoked app's name, and is told
// why. On both engines.
func TestRevokeAppTwice(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		app := "/api/v1/apps/" + itoa(f.otherAppID)
		if r := f.do(t, "POST", app+"/revoke", f.opKey, ""); r.status != 204 {
			t.Fatalf("revoke: %d %v", r.status, r.body)
		}
		got := f.do(t, "GET", app, f.opKey, "")
		if got.status != 200 || got.body["revoked_at"] == nil {
			t.Fatalf("GET %s: %d %v", app, got.status, got.body)
		}
		for _, path := range []string{app + "/revoke", app + "/rotate"} {
			body := ""
			if strings.HasSuffix(path, "rotate") {
				body = "{}"
			}
			if r := f.do(t, "POST", path, f.opKey, body); r.status != 409 || r.body["code"] != "app_revoked" {
				t.Errorf("POST %s of a revoked app: %d %v, want 409 app_revoked", path, r.status, r.body)
			}
		}
		if r := f.do(t, "POST", "/api/v1/apps/999999/revoke", f.opKey, ""); r.status != 404 || r.body["code"] != "app_not_found" {
			t.Errorf("revoke a missing app: %d %v, want 404 app_not_found", r.status, r.body)
		}
		name := got.body["name"].(string)
		dept := jsonNumber(got.body["department_id"])
		r := f.do(t, "POST", "/api/v1/apps", f.opKey, `{"name":"`+name+`","department_id":`+dept+`,"scopes":["catalog.read"]}`)
		if detail, _ := r.body["detail"].(string); r.status != 409 || r.body["code"] != "app_exists" || !strings.Contains(detail, "已注销") {
			t.Errorf("a new app of a revoked app's name: %d %v, want 409 app_exists saying it was revoked", r.status, r.body)
		}
	})
}
