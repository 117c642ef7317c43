package api_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDepartmentShortNameTaken: a short name that another department of
// the region has is refused as a name of the region another department
// has is: 409 department_exists on short_name, its message saying the
// short name is that department's, naming it, on creation and on change,
// nothing stored. A short name that only looks like it stays
// department_name_confusable, and the same short name in another region
// is accepted. On both engines.
func TestDepartmentShortNameTaken(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		r := f.do(t, "PUT", "/api/v1/departments/"+itoa(f.otherID), f.opKey,
			`{"name":"南海区民政局","short_name":"区民政局","uscc":"11440605MB2C9235XX"}`)
		if r.status != 200 {
			t.Fatalf("short name 区民政局 for 南海区民政局: %d %v", r.status, r.body)
		}
		taken := func(what string, r response) {
			t.Helper()
			detail, _ := r.body["detail"].(string)
			if r.status != 409 || r.body["code"] != "department_exists" || r.body["field"] != "short_name" ||
				!strings.Contains(detail, "部门简称“区民政局”已是本行政区划部门“南海区民政局”的简称") {
				t.Errorf("%s: %d %v, want 409 department_exists on short_name naming 南海区民政局", what, r.status, r.body)
			}
		}
		before := f.count(t, "departments")
		taken("a new department of the region with its short name", f.do(t, "POST", "/api/v1/departments", f.opKey,
			`{"name":"南海区民政服务中心","short_name":"区民政局","uscc":"`+demo.USCC("440605", 31)+`","region_code":"440605"}`))
		if n := f.count(t, "departments"); n != before {
			t.Errorf("departments after the refused creation: %d, want %d", n, before)
		}
		taken("a department of the region changed to its short name", f.do(t, "PUT", "/api/v1/departments/"+itoa(f.deptID), f.opKey,
			`{"name":"南海区政务服务数据管理局","short_name":"区民政局","uscc":"91350100M000100Y43"}`))
		if got := f.do(t, "GET", "/api/v1/departments/"+itoa(f.deptID), f.opKey, ""); got.body["short_name"] != nil {
			t.Errorf("after the refused change: short name %v, want none", got.body["short_name"])
		}

		r = f.do(t, "POST", "/api/v1/departments", f.opKey,
			`{"name":"南海区民政服务中心","short_name":"区（民政局）","uscc":"`+demo.USCC("440605", 32)+`","region_code":"440605"}`)
		if r.status != 409 || r.body["code"] != "department_name_confusable" || r.body["field"] != "short_name" {
			t.Errorf("a short name only looking like 区民政局: %d %v, want 409 department_name_confusable", r.status, r.body)
		}
		r = f.do(t, "POST", "/api/v1/departments", f.opKey,
			`{"name":"广东省民政服务中心","short_name":"区民政局","uscc":"`+demo.USCC("440000", 33)+`","region_code":"440000"}`)
		if r.status != 201 {
			t.Errorf("the short name 区民政局 in another region: %d %v, want 201", r.status, r.body)
		}
	})
}
