package api_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestUserManagement: who may disable, enable and reset the password of
// which account, and what each does to the account's sessions, its logins
// and the audit log.
func TestUserManagement(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ids := map[string]string{}
		f.account(t, "nh.rev", f.deptID, "reviewer")
		f.account(t, "nh.auditor", f.deptID, "auditor")
		f.account(t, "nh.admin", f.deptID, "dept_admin")
		r := f.do(t, "GET", "/api/v1/users?limit=100", f.opKey, "")
		for _, it := range r.body["items"].([]any) {
			u := it.(map[string]any)
			ids[u["username"].(string)] = jsonNumber(u["id"])
		}
		op, admin, reviewer := f.session(t, "nh.op"), f.session(t, "mz.admin"), f.session(t, "mz.reviewer")
		platformAdmin := f.session(t, "nh.admin")
		users := func(name, action string) string { return "/api/v1/users/" + ids[name] + action }
		const newPassword = `{"password":"Battery-Staple-7"}`
		for _, c := range []struct {
			what   string
			path   string
			caller []string
			key    string
			body   string
			status int
			code   string
		}{
			{"administrator disables another department's reviewer", users("nh.rev", "/disable"), admin, "", "", 403, "forbidden"},
			{"administrator disables the operator", users("nh.op", "/disable"), admin, "", "", 403, "forbidden"},
			{"administrator disables its department's auditor", users("nh.auditor", "/disable"), platformAdmin, "", "", 403, "role_not_manageable"},
			{"administrator resets its department's auditor", users("nh.auditor", "/password"), platformAdmin, "", newPassword, 403, "role_not_manageable"},
			{"platform's administrator resets the platform's reviewer", users("nh.rev", "/password"), platformAdmin, "", newPassword, 403,
				"role_not_manageable"},
			{"platform's administrator disables the platform's reviewer", users("nh.rev", "/disable"), platformAdmin, "", "", 403,
				"role_not_manageable"},
			{"administrator reads another department's account", users("nh.rev", ""), admin, "", "", 403, "forbidden"},
			{"reviewer disables its administrator", users("mz.admin", "/disable"), reviewer, "", "", 403, "forbidden"},
			{"app without admin disables an account", users("mz.reviewer", "/disable"), nil, f.readKey, "", 403, "forbidden"},
			{"administrator disables itself", users("mz.admin", "/disable"), admin, "", "", 403, "self_disable"},
			{"operator disables itself", users("nh.op", "/disable"), op, "", "", 403, "self_disable"},
			{"the last operator disabled", users("nh.op", "/disable"), nil, f.opKey, "", 409, "last_operator"},
			{"administrator resets its own password", users("mz.admin", "/password"), admin, "", newPassword, 403, "own_password"},
			{"weak password", users("mz.reviewer", "/password"), admin, "", `{"password":"short"}`, 400, "weak_password"},
			{"unknown account", "/api/v1/users/999999/disable", op, "", "", 404, "user_not_found"},
		} {
			method := "POST"
			if c.path == users("nh.rev", "") {
				method = "GET"
			}
			r := f.do(t, method, c.path, c.key, c.body, c.caller...)
			if r.status != c.status || r.body["code"] != c.code {
				t.Errorf("%s: %d %v, want %d %s", c.what, r.status, r.body, c.status, c.code)
			}
		}
		if n := f.count(t, "users WHERE disabled"); n != 0 {
			t.Errorf("%d accounts disabled by the refused requests", n)
		}

		// The department administrator lists and manages its department's accounts.
		r = f.do(t, "GET", "/api/v1/users", "", "", admin...)
		var listed []string
		for _, it := range r.body["items"].([]any) {
			listed = append(listed, it.(map[string]any)["username"].(string))
		}
		if r.status != 200 || strings.Join(listed, " ") != "mz.admin mz.reviewer" {
			t.Errorf("administrator lists accounts: %d %v", r.status, listed)
		}
		for _, c := range []struct {
			path   string
			caller []string
		}{{"/api/v1/users?department_id=" + itoa(f.deptID), admin}, {"/api/v1/users", reviewer},
			{"/api/v1/apps?department_id=" + itoa(f.deptID), admin}, {"/api/v1/apps", reviewer}} {
			if r := f.do(t, "GET", c.path, "", "", c.caller...); r.status != 403 || r.body["code"] != "forbidden" {
				t.Errorf("GET %s: %d %v, want 403 forbidden", c.path, r.status, r.body)
			}
		}
		// The department administrator manages its reviewer.
		if r := f.do(t, "GET", users("mz.reviewer", ""), "", "", admin...); r.status != 200 || r.body["username"] != "mz.reviewer" {
			t.Errorf("administrator reads its reviewer: %d %v", r.status, r.body)
		}
		if r := f.do(t, "POST", users("mz.reviewer", "/disable"), "", "", admin...); r.status != 200 || r.body["disabled"] != true {
			t.Fatalf("administrator disables its reviewer: %d %v", r.status, r.body)
		}
		if r := f.do(t, "GET", "/api/v1/me", "", "", reviewer...); r.status != 401 {
			t.Errorf("session of the disabled account: %d, want 401", r.status)
		}
		if r := f.do(t, "POST", "/api/v1/auth/login", "", `{"username":"mz.reviewer","password":"`+password+`"}`); r.status != 401 || r.body["code"] != "account_disabled" {
			t.Errorf("login of the disabled account: %d %v", r.status, r.body)
		}
		if r := f.do(t, "POST", users("mz.reviewer", "/enable"), "", "", admin...); r.status != 200 || r.body["disabled"] != false {
			t.Fatalf("administrator enables its reviewer: %d %v", r.status, r.body)
		}
		reviewer = f.session(t, "mz.reviewer")
		if r := f.do(t, "POST", users("mz.reviewer", "/password"), "", newPassword, admin...); r.status != 204 {
			t.Fatalf("administrator resets its reviewer's password: %d %v", r.status, r.body)
		}
		if r := f.do(t, "GET", "/api/v1/me", "", "", reviewer...); r.status != 401 {
			t.Errorf("session after the reset: %d, want 401", r.status)
		}
		if r := f.do(t, "POST", "/api/v1/auth/login", "", `{"username":"mz.reviewer","password":"Battery-Staple-7"}`); r.status != 200 {
			t.Errorf("login with the new password: %d %v", r.status, r.body)
		}
		// The operator manages any department's accounts.
		if r := f.do(t, "POST", users("nh.auditor", "/password"), "", newPassword, op...); r.status != 204 {
			t.Errorf("operator resets an auditor's password: %d %v", r.status, r.body)
		}
		if r := f.do(t, "POST", users("mz.admin", "/disable"), "", "", op...); r.status != 200 {
			t.Errorf("operator disables an administrator: %d %v", r.status, r.body)
		}
		if r := f.do(t, "GET", "/api/v1/me", "", "", admin...); r.status != 401 {
			t.Errorf("session of the disabled administrator: %d, want 401", r.status)
		}

		// The changes made; the refusals above are denied rows (TestRefusedAdministrationAudited).
		for action, want := range map[string]int{"user.disable": 2, "user.enable": 1, "user.password": 2} {
			r := f.do(t, "GET", "/api/v1/audit?outcome=ok&action="+action, f.opKey, "")
			if items, _ := r.body["items"].([]any); len(items) != want {
				t.Errorf("audit rows of %s: %d, want %d: %v", action, len(items), want, r.body)
			}
		}
	})
}

// TestChangeOwnPassword: a staff member changes their password with the
// current one; the other sessions end, this one goes on.
func TestChangeOwnPassword(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		here, other := f.session(t, "mz.reviewer"), f.session(t, "mz.reviewer")
		for _, c := range []struct {
			body   string
			status int
			code   string
		}{
			{`{"current_password":"Wrong-Horse-1","password":"Battery-Staple-7"}`, 400, "wrong_password"},
			{`{"current_password":"` + password + `","password":"short"}`, 400, "weak_password"},
			{`{"current_password":"` + password + `","password":"` + password + `"}`, 400, "same_password"},
			{`{"password":"Battery-Staple-7"}`, 400, "current_password_required"},
		} {
			if r := f.do(t, "POST", "/api/v1/me/password", "", c.body, here...); r.status != c.status || r.body["code"] != c.code {
				t.Errorf("%s: %d %v, want %d %s", c.body, r.status, r.body, c.status, c.code)
			}
		}
		if r := f.do(t, "POST", "/api/v1/me/password", f.readKey, `{"current_password":"x","password":"Battery-Staple-7"}`); r.status != 400 || r.body["code"] != "no_session" {
			t.Errorf("with an API key: %d %v", r.status, r.body)
		}
		body := `{"current_password":"` + password + `","password":"Battery-Staple-7"}`
		if r := f.do(t, "POST", "/api/v1/me/password", "", body, here[:2]...); r.status != 403 || r.body["code"] != "csrf_failed" {
			t.Errorf("without the CSRF token: %d %v", r.status, r.body)
		}
		if r := f.do(t, "POST", "/api/v1/me/password", "", body, here...); r.status != 204 {
			t.Fatalf("change: %d %v", r.status, r.body)
		}
		if r := f.do(t, "GET", "/api/v1/me", "", "", here...); r.status != 200 {
			t.Errorf("the session of the change: %d, want 200", r.status)
		}
		if r := f.do(t, "GET", "/api/v1/me", "", "", other...); r.status != 401 {
			t.Errorf("another session: %d, want 401", r.status)
		}
		if r := f.do(t, "POST", "/api/v1/auth/login", "", `{"username":"mz.reviewer","password":"Battery-Staple-7"}`); r.status != 200 {
			t.Errorf("login with the new password: %d %v", r.status, r.body)
		}
		r := f.do(t, "GET", "/api/v1/audit?action=user.password", f.opKey, "")
		if items, _ := r.body["items"].([]any); len(items) != 2 {
			t.Errorf("audit rows of user.password: %v, want the wrong password denied and the change", r.body)
		}
	})
}

// TestPlatformRolesOnlyInPlatform: the platform-wide roles, operator and
// auditor, are refused for an account of a department that is not the
// platform operator's (role_platform_only), and nothing is created.
func TestPlatformRolesOnlyInPlatform(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		before := f.count(t, "users")
		for _, role := range []string{"operator", "auditor"} {
			r := f.do(t, "POST", "/api/v1/users", f.opKey, `{"username":"mz.`+role+`","display_name":"某","department_id":`+
				itoa(f.otherID)+`,"role":"`+role+`","password":"`+password+`"}`)
			if detail, _ := r.body["detail"].(string); r.status != 400 || r.body["code"] != "role_platform_only" || r.body["field"] != "role" || !hasHan(detail) {
				t.Errorf("%s in another department: %d %v", role, r.status, r.body)
			}
		}
		if n := f.count(t, "users"); n != before {
			t.Errorf("users = %d, want %d", n, before)
		}
		r := f.do(t, "POST", "/api/v1/users", f.opKey, `{"username":"nh.auditor","display_name":"某","department_id":`+
			itoa(f.deptID)+`,"role":"auditor","password":"`+password+`"}`)
		if r.status != 201 {
			t.Errorf("auditor in the operator's department: %d %v", r.status, r.body)
		}
	})
}

// TestAdministratorCreatesAccount: a department administrator adds
// accounts to its own department (department_id its own or left out)
// with a role whose accounts it manages, as the console's form does; the
// account is audited as the operator's is. Another department, a role it
// does not manage, or a caller that is neither is refused and audited as
// denied; nothing is created.
func TestAdministratorCreatesAccount(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin, reviewer := f.session(t, "mz.admin"), f.session(t, "mz.reviewer")
		body := func(username, dept, role string) string {
			d := ""
			if dept != "" {
				d = `"department_id":` + dept + `,`
			}
			return `{"username":"` + username + `","display_name":"某",` + d + `"role":"` + role + `","password":"` + password + `"}`
		}
		for _, c := range []struct {
			what, body string
		}{
			{"its own department named", body("mz.clerk", itoa(f.otherID), "reviewer")},
			{"its own department left out", body("mz.deputy", "", "dept_admin")},
		} {
			r := f.do(t, "POST", "/api/v1/users", "", c.body, admin...)
			if r.status != 201 || r.body["department_id"] != float64(f.otherID) {
				t.Errorf("%s: %d %v, want 201 in department %d", c.what, r.status, r.body, f.otherID)
			}
		}
		users := 0
		if err := db.Read().QueryRowContext(t.Context(), `SELECT count(*) FROM users`).Scan(&users); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			what   string
			caller []string
			body   string
			code   string
			object string
		}{
			{"another department", admin, body("nh.clerk", itoa(f.deptID), "reviewer"), "forbidden", "department:" + itoa(f.deptID)},
			{"an auditor", admin, body("mz.auditor", "", "auditor"), "role_not_manageable", "department:" + itoa(f.otherID)},
			{"an operator", admin, body("mz.op", "", "operator"), "role_not_manageable", "department:" + itoa(f.otherID)},
			{"a reviewer creates", reviewer, body("mz.more", "", "reviewer"), "forbidden", "user:"},
		} {
			var denied, after int
			deniedRows := `SELECT count(*) FROM audit_log WHERE outcome = 'denied' AND action = 'user.create'`
			if err := db.Read().QueryRowContext(t.Context(), deniedRows).Scan(&denied); err != nil {
				t.Fatal(err)
			}
			r := f.do(t, "POST", "/api/v1/users", "", c.body, c.caller...)
			if r.status != 403 || r.body["code"] != c.code {
				t.Errorf("%s: %d %v, want 403 %s", c.what, r.status, r.body, c.code)
				continue
			}
			if err := db.Read().QueryRowContext(t.Context(), deniedRows).Scan(&after); err != nil || after != denied+1 {
				t.Errorf("%s: %d denied user.create rows (%v), want %d", c.what, after, err, denied+1)
			}
			rows, _, err := audit.List(t.Context(), db.Read(), audit.Filter{Outcome: audit.Denied, Limit: 1})
			if err != nil || len(rows) != 1 || rows[0].Action != "user.create" || rows[0].ObjectType+":"+rows[0].ObjectID != c.object {
				t.Errorf("%s: denied rows %+v %v, want user.create on %s", c.what, rows, err, c.object)
			}
		}
		n := 0
		if err := db.Read().QueryRowContext(t.Context(), `SELECT count(*) FROM users`).Scan(&n); err != nil || n != users {
			t.Errorf("users after the refusals: %d %v, want %d", n, err, users)
		}
		rows, _, err := audit.List(t.Context(), db.Read(), audit.Filter{Action: "user.create", Outcome: audit.OK, Limit: 2})
		if err != nil || len(rows) != 2 || rows[0].Actor.Name != "mz.admin" || rows[0].Detail != `{"role":"dept_admin","username":"mz.deputy"}` {
			t.Errorf("user.create rows: %+v %v", rows, err)
		}
	})
}

// TestCreateUserDepartment: the operator's new account with no
// department_id (or 0) is refused department_required on the field; an id
// of no department is unknown_department. Both are documented, and
// nothing is created.
func TestCreateUserDepartment(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		doc := openAPIDoc(t)
		before := f.count(t, "users")
		for _, tt := range []struct{ dept, code, message string }{
			{``, "department_required", "请填写所属部门"},
			{`,"department_id":0`, "department_required", "请填写所属部门"},
			{`,"department_id":9999`, "unknown_department", "部门不存在"},
		} {
			body := `{"username":"new.clerk","display_name":"某","role":"reviewer","password":"` + password + `"` + tt.dept + `}`
			r := f.do(t, "POST", "/api/v1/users", f.opKey, body)
			if r.status != 400 || r.body["code"] != tt.code || r.body["field"] != "department_id" || r.body["detail"] != tt.message {
				t.Errorf("POST %s: %d %v, want 400 %s on department_id: %s", body, r.status, r.body, tt.code, tt.message)
			}
			if desc, _ := documentedResponse(t, doc, "POST", "/api/v1/users", 400)["description"].(string); !strings.Contains(desc, tt.code) {
				t.Errorf("POST /api/v1/users: 400 does not name %s: %q", tt.code, desc)
			}
		}
		if n := f.count(t, "users"); n != before {
			t.Errorf("users = %d, want %d", n, before)
		}
	})
}
