package web_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCatalogExportOfNoDepartment: the console's catalog export of a
// department_id that names no department answers 404 部门不存在 on the
// error page, as GET /api/v1/catalog/export and the console's lists do
// (TestListPagesOfNoDepartment), to the operator and to a department's
// administrator (before the 403 of another department), where it
// downloaded an empty file to the operator as if the department had no
// entries. A value that is no number is still 400, and an existing
// department exports. On both engines.
func TestCatalogExportOfNoDepartment(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		op, market := f.client(t), f.client(t)
		op.login("operator")
		market.login("market.admin")
		callers := []struct {
			who string
			c   *client
		}{{"department administrator", market}, {"operator", op}}
		for _, cl := range callers {
			who, c := cl.who, cl.c
			r := c.get("/catalog/export?format=csv&department_id=999999")
			wantStatus(t, "department_id=999999, "+who, r, http.StatusNotFound)
			wantBody(t, "department_id=999999, "+who, r, "部门不存在", `<section class="card error-card">`)
			wantStatus(t, "department_id=abc, "+who, c.get("/catalog/export?format=csv&department_id=abc"), http.StatusBadRequest)
		}
		own := strconv.FormatInt(f.depts["市场监管局"].ID, 10)
		for _, cl := range callers {
			wantStatus(t, "department_id="+own+", "+cl.who, cl.c.get("/catalog/export?format=csv&department_id="+own), http.StatusOK)
		}
	})
}
