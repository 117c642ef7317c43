package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestAccountPage: the operator and a department administrator disable,
// enable and reset the password of the accounts they manage on the account
// page, which the lists link; a disabled account's browser is logged out
// and it cannot log in again.
func TestAccountPage(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		page := func(username string) string { return "/org/users/" + strconv.FormatInt(f.users[username].ID, 10) }

		op := f.client(t)
		opToken := op.login("operator")
		wantBody(t, "/org", op.get("/org"), `href="`+page("reviewer")+`"`)
		wantStatus(t, "operator's /org/users", op.get("/org/users"), http.StatusSeeOther)
		r := op.get(page("operator"))
		wantStatus(t, "operator's own page", r, http.StatusOK)
		wantBody(t, "operator's own page", r, "不能停用自己的账号", `href="/account/password"`)
		wantNoBody(t, "operator's own page", r, `id="disable-user"`, `id="reset-password"`)
		r = op.post(page("operator")+"/disable", url.Values{"csrf_token": {opToken}, "confirm": {"yes"}})
		wantStatus(t, "operator disables itself", r, http.StatusForbidden)
		wantBody(t, "operator disables itself", r, "不能停用自己的账号")

		admin := f.client(t)
		token := admin.login("police.admin")
		r = admin.get("/org/users")
		wantStatus(t, "administrator's /org/users", r, http.StatusOK)
		wantBody(t, "administrator's /org/users", r, `href="`+page("reviewer")+`"`, "本部门账号")
		wantNoBody(t, "administrator's /org/users", r, "market.admin", ">operator<")
		for _, u := range []string{"market.admin", "operator", "auditor"} {
			wantStatus(t, "administrator opens "+u, admin.get(page(u)), http.StatusForbidden)
			r := admin.post(page(u)+"/disable", url.Values{"csrf_token": {token}, "confirm": {"yes"}})
			wantStatus(t, "administrator disables "+u, r, http.StatusForbidden)
		}
		for _, u := range []string{"reviewer", "operator"} {
			wantStatus(t, "reviewer opens "+u, f.loggedIn(t, "locked").get(page(u)), http.StatusForbidden)
		}

		// The reviewer's browser is logged in when its administrator disables it.
		reviewer := f.loggedIn(t, "reviewer")
		r = admin.post(page("reviewer")+"/disable", url.Values{"csrf_token": {token}})
		wantStatus(t, "disable without confirming", r, http.StatusBadRequest)
		wantBody(t, "disable without confirming", r, "确认停用")
		wantStatus(t, "disable without the CSRF token", admin.post(page("reviewer")+"/disable", url.Values{"confirm": {"yes"}}), http.StatusForbidden)
		wantStatus(t, "reviewer still logged in", reviewer.get("/"), http.StatusOK)
		r = admin.post(page("reviewer")+"/disable", url.Values{"csrf_token": {token}, "confirm": {"yes"}})
		if r.Status != http.StatusSeeOther || r.Location != page("reviewer")+"?msg=disabled" {
			t.Fatalf("disable: %d to %q\n%s", r.Status, r.Location, r.Body)
		}
		wantBody(t, "after disabling", admin.get(r.Location), "账号已停用", "已停用", `id="enable-user"`)
		if r := reviewer.get("/"); r.Status != http.StatusSeeOther {
			t.Errorf("disabled account's browser: GET / %d, want 303 to the login page", r.Status)
		}
		r = reviewer.post("/login", url.Values{"username": {"reviewer"}, "password": {password}})
		wantBody(t, "disabled account logs in", r, "账号已停用")

		r = admin.post(page("reviewer")+"/enable", url.Values{"csrf_token": {token}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("enable: %d\n%s", r.Status, r.Body)
		}
		reviewer.login("reviewer")

		const next = "Battery-Staple-7"
		r = admin.post(page("reviewer")+"/password", url.Values{"csrf_token": {token}, "password": {next}, "password_confirm": {"Battery-Staple-8"}})
		wantStatus(t, "passwords differ", r, http.StatusBadRequest)
		wantBody(t, "passwords differ", r, "两次输入的新密码不一致")
		r = admin.post(page("reviewer")+"/password", url.Values{"csrf_token": {token}, "password": {"short"}, "password_confirm": {"short"}})
		wantStatus(t, "weak password", r, http.StatusBadRequest)
		wantBody(t, "weak password", r, "密码至少需要")
		r = admin.post(page("reviewer")+"/password", url.Values{"csrf_token": {token}, "password": {next}, "password_confirm": {next}})
		if r.Status != http.StatusSeeOther || r.Location != page("reviewer")+"?msg=password" {
			t.Fatalf("reset: %d to %q\n%s", r.Status, r.Location, r.Body)
		}
		if r := reviewer.get("/"); r.Status != http.StatusSeeOther {
			t.Errorf("browser after the reset: GET / %d, want 303 to the login page", r.Status)
		}
		r = reviewer.post("/login", url.Values{"username": {"reviewer"}, "password": {next}})
		wantStatus(t, "login with the new password", r, http.StatusSeeOther)

		// The changes made; the refusals above are denied rows (TestRefusedAdministrationAudited).
		for action, want := range map[string]int{"user.disable": 1, "user.enable": 1, "user.password": 1} {
			rows, _, err := audit.List(context.Background(), db.Read(), audit.Filter{Action: action, Outcome: audit.OK})
			if err != nil || len(rows) != want || rows[0].Actor.Name != "police.admin" {
				t.Errorf("audit rows of %s: %+v %v, want %d by police.admin", action, rows, err, want)
			}
		}
	})
}

// loggedIn is a browser logged in as username.
func (f *fixture) loggedIn(t *testing.T, username string) *client {
	c := f.client(t)
	c.login(username)
	return c
}

// TestChangePasswordPage: every user changes their own password from the
// layout's link; the browser it is changed in stays logged in, the others
// are logged out.
func TestChangePasswordPage(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c, other := f.client(t), f.loggedIn(t, "auditor")
		token := c.login("auditor")
		wantBody(t, "home", c.get("/"), `href="/account/password"`)
		wantStatus(t, "GET /account/password", c.get("/account/password"), http.StatusOK)
		const next = "Battery-Staple-7"
		for _, tc := range []struct {
			form url.Values
			want string
		}{
			{url.Values{"current_password": {"Wrong-Pass-1"}, "password": {next}, "password_confirm": {next}}, "当前密码不正确"},
			{url.Values{"current_password": {password}, "password": {next}, "password_confirm": {"x"}}, "两次输入的新密码不一致"},
			{url.Values{"current_password": {password}, "password": {"short"}, "password_confirm": {"short"}}, "密码至少需要"},
		} {
			tc.form.Set("csrf_token", token)
			r := c.post("/account/password", tc.form)
			wantStatus(t, tc.want, r, http.StatusBadRequest)
			wantBody(t, tc.want, r, tc.want)
		}
		form := url.Values{"csrf_token": {token}, "current_password": {password}, "password": {next}, "password_confirm": {next}}
		r := c.post("/account/password", form)
		if r.Status != http.StatusSeeOther || r.Location != "/account/password?msg=changed" {
			t.Fatalf("change: %d to %q\n%s", r.Status, r.Location, r.Body)
		}
		wantBody(t, "after the change", c.get(r.Location), "密码已修改")
		if r := other.get("/"); r.Status != http.StatusSeeOther {
			t.Errorf("other browser: GET / %d, want 303 to the login page", r.Status)
		}
		r = f.client(t).post("/login", url.Values{"username": {"auditor"}, "password": {next}})
		wantStatus(t, "login with the new password", r, http.StatusSeeOther)
	})
}
