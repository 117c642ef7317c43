package web_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestAuditPageOfNoDepartment: the audit page given the API's
// department_id, a department's id as on every list, that names no
// department answers 404 部门不存在 on the error page, as GET
// /api/v1/audit and the console's other lists do
// (TestListPagesOfNoDepartment), where it was renamed to the department
// field and answered 400 with the form. An existing department's id is
// still renamed (303), and a department typed in the form's field that
// matches none is still the field's error on the form (400), keeping what
// was typed. On both engines.
func TestAuditPageOfNoDepartment(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.loggedIn(t, "auditor")
		r := c.get("/audit?department_id=999999")
		wantStatus(t, "department_id=999999", r, http.StatusNotFound)
		wantBody(t, "department_id=999999", r, "部门不存在", `<section class="card error-card">`)

		market := strconv.FormatInt(f.depts["市场监管局"].ID, 10)
		r = c.get("/audit?department_id=" + market)
		if r.Status != http.StatusSeeOther || r.Location != "/audit?department="+market {
			t.Errorf("department_id=%s: %d to %q, want 303 to /audit?department=%s", market, r.Status, r.Location, market)
		}

		r = c.get("/audit?department=999999")
		wantStatus(t, "department=999999 typed", r, http.StatusBadRequest)
		wantBody(t, "department=999999 typed", r, "没有 ID、名称、简称或统一社会信用代码为“999999”的部门", `value="999999"`)
	})
}
