package web_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestPublicCatalogOfNoDepartment: /public/catalog?department_id= of no
// department answers 404 部门不存在 on the public catalog's error page, as
// GET /api/v1/public/catalog answers 404 department_not_found and the
// console's /catalog and /apps answer it (TestListPagesOfNoDepartment),
// where it listed nothing, as if the department had no entries. A value
// that is no number is still 400; an existing department lists. On both
// engines.
func TestPublicCatalogOfNoDepartment(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		anon := f.client(t)
		r := anon.get("/public/catalog?department_id=999999")
		wantStatus(t, "no such department", r, http.StatusNotFound)
		wantBody(t, "no such department", r, "部门不存在", `class="error-message"`,
			`<a class="btn" href="/public/catalog">返回共享互认目录</a>`)
		wantNoBody(t, "no such department", r, "工作人员控制台")
		r = anon.get("/public/catalog?q=户籍&department_id=999999")
		wantStatus(t, "no such department, searched", r, http.StatusNotFound)
		r = anon.get("/public/catalog?department_id=abc")
		wantStatus(t, "no number", r, http.StatusBadRequest)
		wantBody(t, "no number", r, "筛选条件“数源部门”的取值“abc”无效")
		r = anon.get("/public/catalog?department_id=" + strconv.FormatInt(f.depts["市场监管局"].ID, 10))
		wantStatus(t, "a department", r, http.StatusOK)
	})
}
