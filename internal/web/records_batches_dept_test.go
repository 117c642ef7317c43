package web_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestBatchesOfNoDepartment: /records/batches?department_id= of no
// department answers 404 部门不存在 on the styled error page, as
// /records/departments/{id} does, where it said 还没有导入过批次 (200); a
// department without batches still says so.
func TestBatchesOfNoDepartment(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		op := f.loggedIn(t, "operator")
		r := op.get("/records/batches?department_id=99")
		wantStatus(t, "no such department", r, http.StatusNotFound)
		wantBody(t, "no such department", r, "部门不存在", `<section class="card error-card">`)
		wantNoBody(t, "no such department", r, "还没有导入过批次")
		r = op.get("/records/batches?department_id=" + strconv.FormatInt(f.depts["市场监管局"].ID, 10))
		wantStatus(t, "a department without batches", r, http.StatusOK)
		wantBody(t, "a department without batches", r, "还没有导入过批次")
	})
}
