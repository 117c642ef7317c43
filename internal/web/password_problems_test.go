package web_test

import (
	"net/http"
	"net/url"
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
