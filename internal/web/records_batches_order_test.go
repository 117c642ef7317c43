package web_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestBatchesNoDepartmentBeforeForbidden: /records/batches?department_id=
// of no department answers 404 部门不存在 to everyone who may list batches,
// a department's staff too, before the 403 of another department, as the
// API's lists (departmentFilter) and the console's /apps tell it, where a
// department administrator, reviewer or auditor was refused 403 (只能查看本部门的批次)
// for a department that does not exist. A value that is no number is still
// 400 first, another department's still 403. On both engines.
func TestBatchesNoDepartmentBeforeForbidden(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		other := strconv.FormatInt(f.depts["公安分局"].ID, 10)
		for _, who := range []string{"market.admin", "reviewer", "auditor", "operator"} {
			c := f.client(t)
			c.login(who)
			r := c.get("/records/batches?department_id=999999")
			wantStatus(t, who+", no such department", r, http.StatusNotFound)
			wantBody(t, who+", no such department", r, "部门不存在", `<section class="card error-card">`)
			r = c.get("/records/batches?department_id=x")
			wantStatus(t, who+", no number", r, http.StatusBadRequest)
			wantBody(t, who+", no number", r, "错误代码 invalid_number")
			if who == "market.admin" {
				r = c.get("/records/batches?department_id=" + other)
				wantStatus(t, who+", another department", r, http.StatusForbidden)
				wantBody(t, who+", another department", r, "只能查看本部门的批次")
			}
		}
	})
}
