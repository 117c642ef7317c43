package api_test

import (
	"fmt"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRefusedAdministrationAudited: an administrative action refused to
// its caller (403) — a scope it may not grant, an account of another
// department or of a role it does not manage, its own account, a route it
// may not call at all — leaves a denied row of that action naming the
// refusal and the object aimed at, as a refused read of data does; and
// with an Idempotency-Key too. On both engines.
func TestRefusedAdministrationAudited(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		f.account(t, "nh.admin", f.deptID, "dept_admin")
		ids := map[string]string{}
		for _, it := range f.do(t, "GET", "/api/v1/users?limit=100", f.opKey, "").body["items"].([]any) {
			u := it.(map[string]any)
			ids[u["username"].(string)] = jsonNumber(u["id"])
		}
		r := f.do(t, "POST", "/api/v1/apps", f.opKey, `{"name":"审计","department_id":`+itoa(f.otherID)+`,"scopes":["catalog.read"]}`)
		if r.status != 201 {
			t.Fatalf("create an app: %d %v", r.status, r.body)
		}
		auditApp := jsonNumber(r.body["app"].(map[string]any)["id"])
		// audit.read, as a version before scope_platform_only stored it.
		if _, err := db.Write().ExecContext(t.Context(), `UPDATE apps SET scopes = 'audit.read' WHERE id = `+auditApp); err != nil {
			t.Fatal(err)
		}
		admin, platformAdmin, op := f.session(t, "mz.admin"), f.session(t, "nh.admin"), f.session(t, "nh.op")
		for _, c := range []struct {
			method, path, body string
			caller             []string
			code               string
			action, object     string
		}{
			{"POST", "/api/v1/apps", `{"name":"x","scopes":["admin"]}`, admin, "scope_not_grantable", "app.create", "department:" + itoa(f.otherID)},
			{"POST", "/api/v1/apps", `{"name":"y","scopes":["admin"]}`, append(admin, "Idempotency-Key", "k1"), "scope_not_grantable", "app.create", "department:" + itoa(f.otherID)},
			{"POST", "/api/v1/users/" + ids["nh.op"] + "/password", `{"password":"Battery-Staple-7"}`, admin, "forbidden", "user.password", "user:" + ids["nh.op"]},
			{"POST", "/api/v1/users/" + ids["mz.reviewer"] + "/password", `{"password":"Battery-Staple-7"}`, platformAdmin, "forbidden", "user.password", "user:" + ids["mz.reviewer"]},
			{"POST", "/api/v1/users/" + ids["nh.op"] + "/disable", "", platformAdmin, "role_not_manageable", "user.disable", "user:" + ids["nh.op"]},
			{"POST", "/api/v1/apps/" + auditApp + "/rotate", "", admin, "scope_not_grantable", "app.key.rotate", "app:" + auditApp},
			{"POST", "/api/v1/users/" + ids["nh.op"] + "/disable", "", op, "self_disable", "user.disable", "user:" + ids["nh.op"]},
			{"POST", "/api/v1/users", `{"username":"mz.op","display_name":"某","department_id":` + itoa(f.deptID) + `,"role":"dept_admin","password":"` + password + `"}`, admin, "forbidden", "user.create", "department:" + itoa(f.deptID)},
		} {
			what := c.method + " " + c.path + " " + c.body
			r := f.do(t, c.method, c.path, "", c.body, c.caller...)
			if r.status != 403 || r.body["code"] != c.code {
				t.Errorf("%s: got %d %v, want 403 %s", what, r.status, r.body["code"], c.code)
				continue
			}
			rows := f.do(t, "GET", "/api/v1/audit?outcome=denied&limit=1", f.opKey, "").body["items"].([]any)
			if len(rows) != 1 {
				t.Errorf("%s: no denied row", what)
				continue
			}
			row := rows[0].(map[string]any)
			got := fmt.Sprint(row["action"], " ", row["object_type"], ":", row["object_id"], " ", row["detail"])
			if want := fmt.Sprint(c.action, " ", c.object, " ", `{"reason":"`+c.code+`"}`); got != want {
				t.Errorf("%s: the denied row is %s, want %s", what, got, want)
			}
		}
		if r := f.do(t, "GET", "/api/v1/audit/verify", f.opKey, ""); r.body["intact"] != true {
			t.Errorf("audit verify: %v", r.body)
		}
	})
}
