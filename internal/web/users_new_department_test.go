package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestNewUserFormDepartmentEmpty: the operator's new account form starts
// with an empty, required department field, not the operator's own
// department: an operator creating a 审核员 for another department and
// leaving the field as it was got a reviewer of the platform operator's
// department, who reviews every department's catalog. The role's hint says
// so; a form sent without a department is refused beside the field.
func TestNewUserFormDepartmentEmpty(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		op := f.client(t)
		token := op.login("operator")
		r := op.get("/org/users/new")
		wantStatus(t, "the form", r, http.StatusOK)
		wantNoBody(t, "the form", r, `value="佛山市南海区政务服务数据管理局"`)
		wantBody(t, "the form", r, `name="department" type="text" list="user-dept-list" value="" maxlength="200" required`,
			"政务数据主管部门的审核员审核所有部门提交的数据资源目录")
		r = op.post("/org/users/new", url.Values{"csrf_token": {token}, "username": {"new.reviewer"}, "display_name": {"新审核员"},
			"role": {"reviewer"}, "password": {"Initial-Pass-2026"}, "password_confirm": {"Initial-Pass-2026"}})
		wantStatus(t, "no department", r, http.StatusBadRequest)
		wantBody(t, "no department", r, "请填写所属部门")
	})
}
