package api_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestListsOfNoDepartment: GET /users, /apps, /catalog/entries and
// /public/catalog filtered by a department_id that names no department
// answer 404 department_not_found (部门不存在), as the records lists do
// (TestRecordsListsOfNoDepartment), for the operator, a department's
// administrator (before the 403 of another department), an app and, on
// the public catalog, anyone, where they answered 200 with an empty list
// as if the department had nothing to list. A department_id that is no
// number is still 400 invalid_number, and an existing department lists.
// On both engines.
func TestListsOfNoDepartment(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		op, admin := f.session(t, "nh.op"), f.session(t, "mz.admin")
		lists := []struct {
			path string
			// callers are the headers (none: anonymous) or key of each
			// caller allowed to list.
			callers map[string][]string
			key     string
		}{
			{"/api/v1/users", map[string][]string{"operator": op, "department administrator": admin}, f.opKey},
			{"/api/v1/apps", map[string][]string{"operator": op, "department administrator": admin}, f.opKey},
			{"/api/v1/catalog/entries", map[string][]string{"operator": op, "department administrator": admin}, f.readKey},
			{"/api/v1/public/catalog", map[string][]string{"anyone": nil}, ""},
		}
		for _, l := range lists {
			for who, hdr := range l.callers {
				if r := f.do(t, "GET", l.path+"?department_id=999999", "", "", hdr...); r.status != 404 ||
					r.body["code"] != "department_not_found" || r.body["detail"] != "部门不存在" {
					t.Errorf("%s?department_id=999999, %s: %d %v, want 404 department_not_found 部门不存在", l.path, who, r.status, r.body)
				}
				if r := f.do(t, "GET", l.path+"?department_id=x", "", "", hdr...); r.status != 400 ||
					r.body["code"] != "invalid_number" || r.body["field"] != "department_id" {
					t.Errorf("%s?department_id=x, %s: %d %v, want 400 invalid_number on department_id", l.path, who, r.status, r.body)
				}
				if r := f.do(t, "GET", l.path+"?department_id="+itoa(f.otherID), "", "", hdr...); r.status != 200 {
					t.Errorf("%s?department_id=%d (民政局), %s: %d %v, want 200", l.path, f.otherID, who, r.status, r.body)
				}
			}
			if l.key == "" {
				continue
			}
			if r := f.do(t, "GET", l.path+"?department_id=999999", l.key, ""); r.status != 404 || r.body["code"] != "department_not_found" {
				t.Errorf("%s?department_id=999999, an app: %d %v, want 404 department_not_found", l.path, r.status, r.body)
			}
		}
	})
}
