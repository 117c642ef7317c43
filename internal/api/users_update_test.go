package api_test

import (
	"fmt"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestUpdateUser: PATCH /users/{id} changes an account's display name,
// role and department, each when given, as people change posts in an
// organisational change: the operator any account, a department
// administrator one of its own department to a role it manages (another
// department or the operator's roles are refused, and nothing changes). A
// change of role or department ends the account's sessions, as disabling
// does; a new display name alone keeps them. Each change leaves
// user.update with the old values, each refusal a denied row. GET /users
// filters by disabled and role.
func TestUpdateUser(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		_, path := userPath(t, db, "mz.reviewer")
		session := f.session(t, "mz.reviewer")
		stillIn := func() bool {
			return f.do(t, "GET", "/api/v1/me", "", "", session...).status == 200
		}
		admin := f.session(t, "mz.admin")
		r := f.do(t, "PATCH", path, "", `{"display_name":"民政审核员（张）"}`, admin...)
		if r.status != 200 || r.body["display_name"] != "民政审核员（张）" || r.body["role"] != "reviewer" {
			t.Fatalf("the department administrator renames its reviewer: %d %v", r.status, r.body)
		}
		if !stillIn() {
			t.Errorf("a new display name ended the account's sessions")
		}
		for _, c := range []struct{ what, body, code string }{
			{"to another department", fmt.Sprintf(`{"department_id":%d}`, f.deptID), "forbidden"},
			{"to a role it does not manage", `{"role":"operator"}`, "role_not_manageable"},
		} {
			if r := f.do(t, "PATCH", path, "", c.body, admin...); r.status != 403 || r.body["code"] != c.code {
				t.Errorf("the department administrator moves its reviewer %s: %d %v, want 403 %s", c.what, r.status, r.body, c.code)
			}
		}
		r = f.do(t, "PATCH", path, "", `{"role":"dept_admin"}`, admin...)
		if r.status != 200 || r.body["role"] != "dept_admin" {
			t.Fatalf("the department administrator makes its reviewer an administrator: %d %v", r.status, r.body)
		}
		if stillIn() {
			t.Errorf("a new role kept the account's sessions")
		}
		session = f.session(t, "mz.reviewer")
		r = f.do(t, "PATCH", path, f.opKey, fmt.Sprintf(`{"department_id":%d,"role":"reviewer"}`, f.deptID))
		if r.status != 200 || r.body["department_id"] != float64(f.deptID) || r.body["role"] != "reviewer" {
			t.Fatalf("the operator moves the account to its department: %d %v", r.status, r.body)
		}
		if stillIn() {
			t.Errorf("a new department kept the account's sessions")
		}
		for _, c := range []struct{ body, code string }{
			{`{"display_name":" "}`, "name_required"},
			{`{"role":"boss"}`, "invalid_role"},
			{`{"department_id":999999}`, "unknown_department"},
			{`{"username":"x"}`, "unknown_field"},
		} {
			if r := f.do(t, "PATCH", path, f.opKey, c.body); r.status != 400 || r.body["code"] != c.code {
				t.Errorf("PATCH %s: %d %v, want 400 %s", c.body, r.status, r.body, c.code)
			}
		}
		rows, _, err := audit.List(t.Context(), db.Read(), audit.Filter{Action: "user.update"})
		if err != nil || len(rows) != 5 || rows[2].Outcome != "denied" ||
			rows[0].Detail != fmt.Sprintf(`{"department_id":"%d","old_department_id":"%d","old_role":"dept_admin","role":"reviewer","username":"mz.reviewer"}`, f.deptID, f.otherID) {
			for _, row := range rows {
				t.Logf("%s %s", row.Outcome, row.Detail)
			}
			t.Errorf("user.update rows: %d %v", len(rows), err)
		}

		// The list's filters.
		if r := f.do(t, "POST", path+"/disable", f.opKey, ""); r.status != 200 {
			t.Fatalf("disable: %d %v", r.status, r.body)
		}
		names := func(query string) []string {
			t.Helper()
			r := f.do(t, "GET", "/api/v1/users?"+query, f.opKey, "")
			if r.status != 200 {
				t.Fatalf("GET /users?%s: %d %v", query, r.status, r.body)
			}
			var out []string
			for _, it := range r.body["items"].([]any) {
				out = append(out, it.(map[string]any)["username"].(string))
			}
			return out
		}
		if got := fmt.Sprint(names("disabled=true")); got != "[mz.reviewer]" {
			t.Errorf("disabled accounts: %s", got)
		}
		if got := fmt.Sprint(names("disabled=false&role=dept_admin")); got != "[mz.admin]" {
			t.Errorf("enabled administrators: %s", got)
		}
		for _, q := range []string{"disabled=yes", "role=boss"} {
			if r := f.do(t, "GET", "/api/v1/users?"+q, f.opKey, ""); r.status != 400 {
				t.Errorf("GET /users?%s: %d %v, want 400", q, r.status, r.body)
			}
		}
	})
}

// userPath returns the ID of the account username and its path in the
// API.
func userPath(t *testing.T, db *sqldb.DB, username string) (int64, string) {
	t.Helper()
	u, err := org.UserByName(t.Context(), db.Read(), username)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID, "/api/v1/users/" + itoa(u.ID)
}
