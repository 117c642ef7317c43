package api_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/api"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestManageRefusedBeforeBody: a caller who may not manage accounts or
// apps — an app holding catalog.read, a reviewer — is refused a change of
// an account (PATCH, disable, enable, password) or an app (create, rotate,
// revoke, revoke a key) 403 whatever its body, where a body that did not
// parse or broke the rules was told 400 (invalid_type, password_required,
// invalid_grace) and left no row; and the same for an account or app
// that does not exist as for one that does, where a missing one was told
// 404 (user_not_found, app_not_found), as GET answers 403 either way.
// Each refusal leaves a denied row of the action. A department
// administrator changing another department's account or app is refused
// 403 before its body is read too. No password is hashed for a refused
// reset, where each was hashed before it was refused; a reset allowed
// hashes one. On both engines.
func TestManageRefusedBeforeBody(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		hashes := api.CountHashes(t)
		ids := map[string]string{}
		for _, it := range f.do(t, "GET", "/api/v1/users?limit=100", f.opKey, "").body["items"].([]any) {
			u := it.(map[string]any)
			ids[u["username"].(string)] = jsonNumber(u["id"])
		}
		apps := map[string]string{}
		for _, it := range f.do(t, "GET", "/api/v1/apps?limit=100", f.opKey, "").body["items"].([]any) {
			a := it.(map[string]any)
			apps[a["name"].(string)] = jsonNumber(a["id"])
		}
		reviewer, admin := f.session(t, "mz.reviewer"), f.session(t, "mz.admin")
		const missing = "987654"
		denied := func(action, objectType, id string) int {
			t.Helper()
			var n int
			if err := db.Read().QueryRowContext(t.Context(), `SELECT count(*) FROM audit_log WHERE action = $1
				AND outcome = 'denied' AND object_type = $2 AND object_id = $3`, action, objectType, id).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		type request struct{ method, path, body, action, objectType string }
		userRoutes := func(id string) []request {
			u := "/api/v1/users/" + id
			return []request{
				{"PATCH", u, `{"role":1}`, "user.update", "user"},
				{"PATCH", u, `{"display_name":"某"}`, "user.update", "user"},
				{"POST", u + "/disable", "", "user.disable", "user"},
				{"POST", u + "/enable", "", "user.enable", "user"},
				{"POST", u + "/password", `{}`, "user.password", "user"},
				{"POST", u + "/password", `{"password":1}`, "user.password", "user"},
				{"POST", u + "/password", `{"password":"Battery-Staple-7"}`, "user.password", "user"},
			}
		}
		appRoutes := func(id string) []request {
			a := "/api/v1/apps/" + id
			return []request{
				{"POST", a + "/rotate", `{"grace_hours":-1}`, "app.key.rotate", "app"},
				{"POST", a + "/rotate", `{"grace_hours":"x"}`, "app.key.rotate", "app"},
				{"POST", a + "/revoke", "", "app.revoke", "app"},
				{"DELETE", a + "/keys/1", "", "app.key.revoke", "app"},
			}
		}
		try := func(who string, caller []string, key string, id string, rs []request, code string) {
			t.Helper()
			for _, c := range rs {
				what := who + ": " + c.method + " " + c.path + " " + c.body
				before := denied(c.action, c.objectType, id)
				r := f.do(t, c.method, c.path, key, c.body, caller...)
				if r.status != 403 || r.body["code"] != code {
					t.Errorf("%s: %d %v, want 403 %s", what, r.status, r.body, code)
				}
				if n := denied(c.action, c.objectType, id) - before; n != 1 {
					t.Errorf("%s left %d denied rows of %s %s:%s, want 1", what, n, c.action, c.objectType, id)
				}
			}
		}
		for _, c := range []struct {
			who    string
			caller []string
			key    string
			code   string
		}{
			{"app holding catalog.read", nil, f.readKey, "forbidden"},
			{"reviewer", reviewer, "", "forbidden"},
		} {
			for _, id := range []string{ids["mz.admin"], missing} {
				try(c.who, c.caller, c.key, id, userRoutes(id), c.code)
			}
			for _, id := range []string{apps["查询"], missing} {
				try(c.who, c.caller, c.key, id, appRoutes(id), c.code)
			}
			before := denied("app.create", "app", "")
			r := f.do(t, "POST", "/api/v1/apps", c.key, `{"name":1}`, c.caller...)
			if r.status != 403 || r.body["code"] != c.code {
				t.Errorf("%s: create an app with a bad body: %d %v, want 403 %s", c.who, r.status, r.body, c.code)
			}
			if n := denied("app.create", "app", "") - before; n != 1 {
				t.Errorf("%s: create an app with a bad body left %d denied rows, want 1", c.who, n)
			}
		}
		// Another department's account and app: the object is checked
		// before the body.
		try("department administrator", admin, "", ids["nh.op"], userRoutes(ids["nh.op"]), "forbidden")
		try("department administrator", admin, "", apps["运维"], appRoutes(apps["运维"])[:2], "forbidden")
		if n := hashes.Load(); n != 0 {
			t.Errorf("%d passwords hashed for refused resets, want none", n)
		}
		if r := f.do(t, "POST", "/api/v1/users/"+ids["mz.reviewer"]+"/password", "", `{"password":"Battery-Staple-7"}`, admin...); r.status != 204 {
			t.Fatalf("reset by the department administrator: %d %v", r.status, r.body)
		}
		if n := hashes.Load(); n != 1 {
			t.Errorf("%d passwords hashed for an allowed reset, want 1", n)
		}
		if r := f.do(t, "GET", "/api/v1/audit/verify", f.opKey, ""); r.body["intact"] != true {
			t.Errorf("audit verify: %v", r.body)
		}
	})
}
