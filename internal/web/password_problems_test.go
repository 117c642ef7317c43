package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestPasswordFormsListEveryProblem: the password forms tell every
// problem of the new password at once, each beside its field and in the
// summary, as the new account form does, where they told one: too short
// and typed differently the second time. The current password is checked
// (and a wrong one counted towards the lockout) only with a new password
// that could be set. On both engines.
func TestPasswordFormsListEveryProblem(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		token := c.login("auditor")
		r := c.post("/account/password", url.Values{"csrf_token": {token}, "current_password": {""},
			"password": {"short"}, "password_confirm": {"shorter"}})
		wantStatus(t, "change", r, http.StatusBadRequest)
		wantBody(t, "change", r, `id="form-errors"`, "有 3 处需要修改", "请输入当前密码", "密码至少需要", "两次输入的新密码不一致",
			`aria-invalid="true"`)

		admin := f.client(t)
		token = admin.login("police.admin")
		page := "/org/users/" + strconv.FormatInt(f.users["reviewer"].ID, 10)
		r = admin.post(page+"/password", url.Values{"csrf_token": {token}, "password": {"short"}, "password_confirm": {"shorter"}})
		wantStatus(t, "reset", r, http.StatusBadRequest)
		wantBody(t, "reset", r, `id="form-errors"`, "有 2 处需要修改", "密码至少需要", "两次输入的新密码不一致")
	})
}

// TestResetPasswordHoldingUsername: an administrator's reset to a password
// holding the account's username is refused beside the password field
// (password_has_username), counted in the summary with the form's other
// problems, and changes nothing: the form checked the password without
// the username, so org.SetPassword refused it alone, above the form. The
// own password form checks it with the user's username too. On both
// engines.
func TestResetPasswordHoldingUsername(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin := f.client(t)
		token := admin.login("police.admin")
		page := "/org/users/" + strconv.FormatInt(f.users["reviewer"].ID, 10)
		beside := regexp.MustCompile(`id="new-password"[^>]*aria-invalid="true"[^>]*>\s*<span class="field-error" id="[^"]+">[^<]*密码不能包含用户名`)
		for _, confirm := range []string{"Reviewer-2026x", "Reviewer-2026"} {
			r := admin.post(page+"/password", url.Values{"csrf_token": {token}, "password": {"Reviewer-2026"}, "password_confirm": {confirm}})
			wantStatus(t, "reset", r, http.StatusBadRequest)
			n := 1
			if confirm != "Reviewer-2026" {
				n = 2
			}
			wantBody(t, "reset", r, `id="form-errors"`, fmt.Sprintf("有 %d 处需要修改", n))
			if !beside.MatchString(r.Body) {
				t.Errorf("reset to a password holding the username, confirmed as %q: no password_has_username beside the field\n%s", confirm, r.Body)
			}
		}
		f.client(t).login("reviewer") // the password is unchanged
		if n := len(sqldbtest.QueryRows(t, db.Read(), `SELECT seq FROM audit_log WHERE action = 'user.password' AND outcome = 'ok'`)); n != 0 {
			t.Errorf("%d user.password rows after refused resets", n)
		}

		own := f.client(t)
		token = own.login("auditor")
		r := own.post("/account/password", url.Values{"csrf_token": {token}, "current_password": {""},
			"password": {"Auditor-2026"}, "password_confirm": {"Auditor-2026"}})
		wantStatus(t, "change", r, http.StatusBadRequest)
		wantBody(t, "change", r, "有 2 处需要修改", "请输入当前密码", "密码不能包含用户名")
	})
}
