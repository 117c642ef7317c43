package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDepartmentFormErrorOrder: the new department form's summary lists
// its problems in the order of the fields (name, short name, code, region,
// parent), where the parent's and the region's came first. On both
// engines.
func TestDepartmentFormErrorOrder(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		op := f.client(t)
		token := op.login("operator")
		r := op.post("/org/departments/new", url.Values{"csrf_token": {token}, "name": {" "}, "short_name": {"简称\x00"},
			"uscc": {"114406051154099990"}, "region": {""}, "parent": {"无此部门"}})
		wantStatus(t, "everything wrong", r, http.StatusBadRequest)
		last := -1
		for _, m := range []string{"部门名称不能为空", "部门简称含有控制字符", "校验码错误", "请选择行政区划", "没有名称、简称或统一社会信用代码为“无此部门”的部门"} {
			i := strings.Index(r.Body, m)
			if i < 0 || i < last {
				t.Errorf("%q at %d, want after %d (the fields' order)\n%s", m, i, last, r.Body)
			}
			last = i
		}
	})
}
