package web_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestListPagesOfNoDepartment: the console's lists filtered by a
// department_id that names no department, /apps and /catalog (each of its
// views), answer 404 部门不存在 on the styled error page, as
// /records/batches does (TestBatchesOfNoDepartment) and as the API's lists
// do, for the operator and a department's administrator alike (before the
// 403 of another department on /apps), where /apps answered 400
// invalid_filter (没有编号为 … 的部门) and /catalog 200 with no entries.
// A value that is no number is still 400; an existing department lists.
func TestListPagesOfNoDepartment(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		op, police := f.client(t), f.client(t)
		op.login("operator")
		police.login("police.admin")
		market := strconv.FormatInt(f.depts["市场监管局"].ID, 10)
		for _, page := range []string{"/apps?department_id=", "/catalog?department_id=", "/catalog?view=drafts&department_id=",
			"/catalog?view=retired&department_id="} {
			for who, c := range map[string]*client{"operator": op, "department administrator": police} {
				what := page + "999999, " + who
				r := c.get(page + "999999")
				wantStatus(t, what, r, http.StatusNotFound)
				wantBody(t, what, r, "部门不存在", `<section class="card error-card">`)
				what = page + "abc, " + who
				r = c.get(page + "abc")
				wantStatus(t, what, r, http.StatusBadRequest)
				wantBody(t, what, r, "invalid_filter")
			}
			wantStatus(t, page+market+", operator", op.get(page+market), http.StatusOK)
		}
	})
}
