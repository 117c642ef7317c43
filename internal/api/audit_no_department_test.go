package api_test

import (
	"net/url"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestAuditOfNoDepartment: GET /api/v1/audit filtered by a department
// that does not exist, by department_id or by department (an id or a
// name), answers 404 department_not_found as the other lists do
// (TestListsOfNoDepartment), where department_id answered 200 with no rows
// and department 400. A department_id that is no number is still 400
// invalid_number, and an existing department lists. Departments are
// never deleted, so no row of the log names a department that is gone. On
// both engines.
func TestAuditOfNoDepartment(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		for _, query := range []string{"department_id=999999", "department=999999", "department=" + url.QueryEscape("不存在的局")} {
			if r := f.do(t, "GET", "/api/v1/audit?"+query, f.opKey, ""); r.status != 404 || r.body["code"] != "department_not_found" {
				t.Errorf("?%s: %d %v, want 404 department_not_found", query, r.status, r.body)
			}
		}
		if r := f.do(t, "GET", "/api/v1/audit?department_id=x", f.opKey, ""); r.status != 400 ||
			r.body["code"] != "invalid_number" || r.body["field"] != "department_id" {
			t.Errorf("?department_id=x: %d %v, want 400 invalid_number on department_id", r.status, r.body)
		}
		for _, query := range []string{"department_id=" + itoa(f.otherID), "department=" + itoa(f.otherID)} {
			if r := f.do(t, "GET", "/api/v1/audit?"+query, f.opKey, ""); r.status != 200 {
				t.Errorf("?%s (民政局): %d %v, want 200", query, r.status, r.body)
			}
		}
	})
}
