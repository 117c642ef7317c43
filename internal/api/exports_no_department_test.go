package api_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestExportsOfNoDepartment: GET /catalog/registration and GET
// /catalog/export of a department_id that names no department answer 404
// department_not_found, as the lists do (TestListsOfNoDepartment), where
// they answered 200 with an empty document as if the department had no
// entries, to an app and to the operator. A department_id that is no
// number is still 400 invalid_number, and an existing department
// exports. On both engines.
func TestExportsOfNoDepartment(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		op := f.session(t, "nh.op")
		for _, path := range []string{"/api/v1/catalog/registration?", "/api/v1/catalog/export?format=jsonl&"} {
			for who, call := range map[string]func(query string) response{
				"an app":       func(query string) response { return f.do(t, "GET", path+query, f.readKey, "") },
				"the operator": func(query string) response { return f.do(t, "GET", path+query, "", "", op...) },
			} {
				if r := call("department_id=999999"); r.status != 404 || r.body["code"] != "department_not_found" || r.body["detail"] != "部门不存在" {
					t.Errorf("%sdepartment_id=999999, %s: %d %v, want 404 department_not_found 部门不存在", path, who, r.status, r.body)
				}
				if r := call("department_id=x"); r.status != 400 || r.body["code"] != "invalid_number" || r.body["field"] != "department_id" {
					t.Errorf("%sdepartment_id=x, %s: %d %v, want 400 invalid_number on department_id", path, who, r.status, r.body)
				}
				if r := call("department_id=" + itoa(f.otherID)); r.status != 200 {
					t.Errorf("%sdepartment_id=%d (民政局), %s: %d %v, want 200", path, f.otherID, who, r.status, r.body)
				}
			}
		}
	})
}
