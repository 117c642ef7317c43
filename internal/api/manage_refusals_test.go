package api_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/org/orgtest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestManageRefusalsNameTheRule: a reviewer or an auditor refused the
// accounts and apps routes is told the role rule (only the operator and
// department administrators), not that it may manage only its own
// department's, even for its own department; an app key without scope
// admin is told the scope, in the words of every route that requires one.
// A department administrator acting on another department is still told
// that. A read is told it reads (查看), a write that it manages (管理). The
// code stays forbidden. On both engines.
func TestManageRefusalsNameTheRule(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := orgtest.CreateUser(ctx, tx, audit.Actor{Kind: audit.ActorSystem, ID: "test"}, org.NewUser{Username: "nh.auditor",
				DisplayName: "审计员", DepartmentID: f.deptID, Role: org.Auditor, Password: password}, t0)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]string{}
		for _, it := range f.do(t, "GET", "/api/v1/users?limit=100", f.opKey, "").body["items"].([]any) {
			u := it.(map[string]any)
			ids[u["username"].(string)] = jsonNumber(u["id"])
		}
		// The words of a route that requires a scope the key lacks.
		scopeRefusal := f.do(t, "POST", "/api/v1/regions", f.readKey, `{"code":"440606","name":"顺德区","level":"district","parent_code":"440000"}`)
		if scopeRefusal.status != 403 || scopeRefusal.body["detail"] != "无权执行此操作（需要权限 admin：管理部门、账号与应用）" {
			t.Fatalf("POST /api/v1/regions with a catalog.read key: %d %v", scopeRefusal.status, scopeRefusal.body)
		}
		reviewer, auditor, admin := f.session(t, "mz.reviewer"), f.session(t, "nh.auditor"), f.session(t, "mz.admin")
		app := "/api/v1/apps/" + itoa(f.otherAppID)
		for _, c := range []struct {
			who                string
			caller             []string
			key                string
			method, path, body string
			want               string
		}{
			{"reviewer", reviewer, "", "POST", "/api/v1/apps", `{"name":"x","scopes":["catalog.read"]}`, "只有平台管理员和部门管理员可以管理应用"},
			{"reviewer", reviewer, "", "GET", "/api/v1/apps", "", "只有平台管理员和部门管理员可以查看应用"},
			{"auditor", auditor, "", "GET", "/api/v1/apps", "", "只有平台管理员和部门管理员可以查看应用"},
			{"reviewer", reviewer, "", "GET", app, "", "只有平台管理员和部门管理员可以查看应用"},
			{"reviewer", reviewer, "", "POST", app + "/rotate", `{}`, "只有平台管理员和部门管理员可以管理应用"},
			{"auditor", auditor, "", "POST", app + "/revoke", "", "只有平台管理员和部门管理员可以管理应用"},
			{"reviewer", reviewer, "", "POST", "/api/v1/users/" + ids["mz.admin"] + "/disable", `{}`, "只有平台管理员和部门管理员可以管理账号"},
			{"reviewer", reviewer, "", "POST", "/api/v1/users/" + ids["mz.admin"] + "/password", `{"password":"Battery-Staple-7"}`, "只有平台管理员和部门管理员可以管理账号"},
			{"auditor", auditor, "", "GET", "/api/v1/users/" + ids["nh.op"], "", "只有平台管理员和部门管理员可以查看账号"},
			{"catalog.read key", nil, f.readKey, "GET", "/api/v1/apps", "", scopeRefusal.body["detail"].(string)},
			{"catalog.read key", nil, f.readKey, "POST", "/api/v1/apps", `{"name":"x","scopes":["catalog.read"]}`, scopeRefusal.body["detail"].(string)},
			{"catalog.read key", nil, f.readKey, "GET", app, "", scopeRefusal.body["detail"].(string)},
			{"catalog.read key", nil, f.readKey, "GET", "/api/v1/users", "", scopeRefusal.body["detail"].(string)},
			{"catalog.read key", nil, f.readKey, "POST", "/api/v1/users/" + ids["mz.admin"] + "/disable", "", scopeRefusal.body["detail"].(string)},
			{"department administrator", admin, "", "POST", "/api/v1/apps", `{"name":"x","department_id":` + itoa(f.deptID) + `,"scopes":["catalog.read"]}`, "只能管理本部门的应用"},
			{"department administrator", admin, "", "POST", "/api/v1/users/" + ids["nh.op"] + "/disable", "", "只能管理本部门的账号"},
			// A read is told it reads, in the words of the lists.
			{"department administrator", admin, "", "GET", "/api/v1/users/" + ids["nh.op"], "", "只能查看本部门的账号"},
			{"department administrator", admin, "", "GET", "/api/v1/apps?department_id=" + itoa(f.deptID), "", "只能查看本部门的应用"},
			{"department administrator", admin, "", "GET", "/api/v1/apps/1", "", "只能查看本部门的应用"},
		} {
			what := c.who + " " + c.method + " " + c.path
			r := f.do(t, c.method, c.path, c.key, c.body, c.caller...)
			if r.status != 403 || r.body["code"] != "forbidden" || r.body["detail"] != c.want {
				t.Errorf("%s: got %d %v %v, want 403 forbidden %s", what, r.status, r.body["code"], r.body["detail"], c.want)
			}
		}
	})
}
