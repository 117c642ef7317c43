package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCreateAccount: the operator adds an account to any department it
// names and a department administrator to its own, with a role whose
// accounts it manages, from the lists' 新增账号; the account is audited
// as the API's POST /api/v1/users is (user.create, its username and
// role). A role the administrator may not give, or a caller that is
// neither, is refused (403) and leaves a denied row.
func TestCreateAccount(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		op := f.client(t)
		opToken := op.login("operator")
		wantBody(t, "/org", op.get("/org"), `href="/org/users/new"`)
		r := op.get("/org/users/new")
		wantStatus(t, "operator's form", r, http.StatusOK)
		// The department starts empty (TestNewUserFormDepartmentEmpty).
		wantBody(t, "operator's form", r, `name="department"`, `value=""`,
			`<option value="auditor">审计员</option>`, `<option value="operator">平台管理员</option>`)

		newPassword := "Initial-Pass-2026"
		created := func(c *client, form url.Values) org.User {
			t.Helper()
			r := c.post("/org/users/new", form)
			if r.Status != http.StatusSeeOther || !strings.HasSuffix(r.Location, "?msg=created") {
				t.Fatalf("create %s: %d to %q\n%s", form.Get("username"), r.Status, r.Location, r.Body)
			}
			u, err := org.UserByName(t.Context(), db.Read(), strings.ToLower(strings.TrimSpace(form.Get("username"))))
			if err != nil {
				t.Fatal(err)
			}
			if want := "/org/users/" + strconv.FormatInt(u.ID, 10) + "?msg=created"; r.Location != want {
				t.Errorf("create %s: redirected to %q, want %q", u.Username, r.Location, want)
			}
			wantBody(t, "the new account's page", c.get(r.Location), "账号已创建", u.Username)
			return u
		}
		u := created(op, url.Values{"csrf_token": {opToken}, "username": {" Police.Clerk "}, "display_name": {"钱办事"},
			"department": {"公安分局"}, "role": {"reviewer"}, "password": {newPassword}, "password_confirm": {newPassword}})
		if u.Username != "police.clerk" || u.DepartmentID != f.depts["公安分局"].ID || u.Role != org.Reviewer || u.DisplayName != "钱办事" {
			t.Errorf("the operator's new account: %+v", u)
		}
		wantStatus(t, "the new account logs in", f.client(t).post("/login", url.Values{"username": {"police.clerk"}, "password": {newPassword}}), http.StatusSeeOther)

		admin := f.client(t)
		adminToken := admin.login("police.admin")
		wantBody(t, "/org/users", admin.get("/org/users"), `href="/org/users/new"`)
		r = admin.get("/org/users/new")
		wantStatus(t, "administrator's form", r, http.StatusOK)
		wantNoBody(t, "administrator's form", r, `name="department"`, `value="auditor"`, `value="operator"`)
		wantBody(t, "administrator's form", r, `value="dept_admin"`, `value="reviewer"`)
		// A department typed by hand (the form has none) may name the administrator's own.
		u = created(admin, url.Values{"csrf_token": {adminToken}, "username": {"police.deputy"}, "display_name": {"孙副管"},
			"department": {"公安分局"}, "role": {"dept_admin"}, "password": {newPassword}, "password_confirm": {newPassword}})
		if u.DepartmentID != f.depts["公安分局"].ID || u.Role != org.DeptAdmin {
			t.Errorf("the administrator's new account: %+v", u)
		}
		rows, _, err := audit.List(t.Context(), db.Read(), audit.Filter{Action: "user.create", Outcome: audit.OK})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, row := range rows {
			if row.Actor.Kind == audit.ActorUser {
				got = append(got, row.Actor.Name+" "+row.ObjectType+":"+row.ObjectID+" "+row.Detail)
			}
		}
		clerk, _ := org.UserByName(t.Context(), db.Read(), "police.clerk")
		want := []string{
			"police.admin user:" + strconv.FormatInt(u.ID, 10) + ` {"role":"dept_admin","username":"police.deputy"}`,
			"operator user:" + strconv.FormatInt(clerk.ID, 10) + ` {"role":"reviewer","username":"police.clerk"}`,
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("user.create rows by staff:\n%q\nwant\n%q", got, want)
		}

		users := count(t, db, `SELECT count(*) FROM users`)
		police := "department:" + strconv.FormatInt(f.depts["公安分局"].ID, 10)
		for _, c := range []struct {
			caller  *client
			form    url.Values
			message string
			object  string // of the denied row
		}{
			{admin, url.Values{"csrf_token": {adminToken}, "username": {"police.op"}, "display_name": {"越权"}, "role": {"operator"},
				"password": {newPassword}, "password_confirm": {newPassword}}, "部门管理员不能管理平台管理员的账号", police},
			{admin, url.Values{"csrf_token": {adminToken}, "username": {"police.audit"}, "display_name": {"越权"}, "role": {"auditor"},
				"password": {newPassword}, "password_confirm": {newPassword}}, "部门管理员不能管理审计员的账号", police},
			// Another department typed by hand is refused as the API refuses its department_id.
			{admin, url.Values{"csrf_token": {adminToken}, "username": {"police.market"}, "display_name": {"越权"}, "role": {"reviewer"},
				"department": {"市场监管局"}, "password": {newPassword}, "password_confirm": {newPassword}}, "只能管理本部门的账号",
				"department:" + strconv.FormatInt(f.depts["市场监管局"].ID, 10)},
			{admin, url.Values{"csrf_token": {adminToken}, "username": {"police.none"}, "display_name": {"越权"}, "role": {"reviewer"},
				"department": {"无此部门"}, "password": {newPassword}, "password_confirm": {newPassword}}, "只能管理本部门的账号", "user:"},
			{f.loggedIn(t, "reviewer"), url.Values{"username": {"police.more"}, "display_name": {"越权"}, "role": {"reviewer"},
				"password": {newPassword}, "password_confirm": {newPassword}}, "无权执行此操作", "user:"}, // refused before the form is read
		} {
			if c.form.Get("csrf_token") == "" {
				c.form.Set("csrf_token", c.caller.csrf())
			}
			denied := count(t, db, `SELECT count(*) FROM audit_log WHERE outcome = 'denied' AND action = 'user.create'`)
			r := c.caller.post("/org/users/new", c.form)
			wantStatus(t, "refused "+c.form.Get("username"), r, http.StatusForbidden)
			wantBody(t, "refused "+c.form.Get("username"), r, c.message)
			if n := count(t, db, `SELECT count(*) FROM audit_log WHERE outcome = 'denied' AND action = 'user.create'`); n != denied+1 {
				t.Errorf("refused %s: %d denied user.create rows, want %d", c.form.Get("username"), n, denied+1)
			}
			rows, _, err := audit.List(t.Context(), db.Read(), audit.Filter{Outcome: audit.Denied, Limit: 1})
			if err != nil || len(rows) != 1 || rows[0].Action != "user.create" || rows[0].ObjectType+":"+rows[0].ObjectID != c.object {
				t.Errorf("refused %s: denied rows %+v %v, want a user.create row on %s", c.form.Get("username"), rows, err, c.object)
			}
		}
		wantStatus(t, "the reviewer's form", f.loggedIn(t, "reviewer").get("/org/users/new"), http.StatusForbidden)
		wantStatus(t, "without the CSRF token", admin.post("/org/users/new", url.Values{"username": {"police.csrf"}, "display_name": {"无令牌"},
			"role": {"reviewer"}, "password": {newPassword}, "password_confirm": {newPassword}}), http.StatusForbidden)
		if n := count(t, db, `SELECT count(*) FROM users`); n != users {
			t.Errorf("users after the refusals: %d, want %d", n, users)
		}
	})
}

// TestAccountFormProblems: the new account form tells every problem of
// its input at once, each beside its field (aria-invalid, its message
// under it) and all in a summary, the typed values kept but the
// passwords; it creates nothing.
func TestAccountFormProblems(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		op := f.client(t)
		token := op.login("operator")
		users := count(t, db, `SELECT count(*) FROM users`)
		fieldRE := func(field string) *regexp.Regexp {
			return regexp.MustCompile(`name="` + field + `"[^>]*aria-invalid="true"`)
		}
		for _, c := range []struct {
			what   string
			form   url.Values
			status int
			fields map[string]string // field: its message
		}{
			{"everything wrong", url.Values{"username": {"张三"}, "display_name": {" "}, "department": {"无此部门"},
				"password": {"short-P"}, "password_confirm": {"other"}}, http.StatusBadRequest,
				map[string]string{"username": "用户名应为3–64位字母、数字或 . _ -，字母不区分大小写，一律保存为小写", "display_name": "姓名不能为空",
					"department": "没有名称、简称或统一社会信用代码为“无此部门”的部门", "role": "角色不能为空",
					"password": "密码至少需要 10 个字符", "password_confirm": "两次输入的密码不一致"}},
			{"a platform role elsewhere", url.Values{"username": {"police.auditor"}, "display_name": {"钱审计\x00"}, "department": {"公安分局"},
				"role": {"auditor"}, "password": {"Initial-Pass-2026"}, "password_confirm": {"Initial-Pass-2026"}}, http.StatusBadRequest,
				map[string]string{"display_name": "姓名含有控制字符", "role": "“审计员”角色只能授予政务数据主管部门"}},
			{"a username taken", url.Values{"username": {"reviewer"}, "display_name": {"赵审核"}, "department": {"公安分局"},
				"role": {"reviewer"}, "password": {"Initial-Pass-2026"}, "password_confirm": {"Initial-Pass-2026"}}, http.StatusConflict,
				map[string]string{"username": "用户名已存在：reviewer"}},
			// A username taken is told with the other problems, looked up before the insert.
			{"a username taken and the passwords differing", url.Values{"username": {" Reviewer "}, "display_name": {"赵审核"}, "department": {"公安分局"},
				"role": {"reviewer"}, "password": {"Initial-Pass-2026"}, "password_confirm": {"Initial-Pass-2027"}}, http.StatusConflict,
				map[string]string{"username": "用户名已存在：reviewer", "password_confirm": "两次输入的密码不一致"}},
			{"no department", url.Values{"username": {"police.nodept"}, "display_name": {"赵无部门"}, "department": {""},
				"role": {"reviewer"}, "password": {"Initial-Pass-2026"}, "password_confirm": {"Initial-Pass-2026"}}, http.StatusBadRequest,
				map[string]string{"department": "请填写所属部门"}},
		} {
			c.form.Set("csrf_token", token)
			r := op.post("/org/users/new", c.form)
			wantStatus(t, c.what, r, c.status)
			wantBody(t, c.what, r, fmt.Sprintf(`<p><strong>有 %d 处需要修改：</strong></p>`, len(c.fields)))
			for field, msg := range c.fields {
				wantFormMessage(t, c.what, r, msg)
				if !fieldRE(field).MatchString(r.Body) {
					t.Errorf("%s: %s not marked invalid", c.what, field)
				}
			}
			for _, field := range []string{"username", "department"} {
				if v := c.form.Get(field); v != "" {
					wantBody(t, c.what, r, `value="`+v+`"`)
				}
			}
			if v := c.form.Get("role"); v != "" {
				wantBody(t, c.what, r, `value="`+v+`" selected`)
			}
			wantNoBody(t, c.what, r, `value="`+c.form.Get("password")+`"`)
		}
		if n := count(t, db, `SELECT count(*) FROM users`); n != users {
			t.Errorf("users after refused forms: %d, want %d", n, users)
		}
	})
}
