package api_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRegistrationExportLargeDepartmentID: a department id beyond 32 bits
// is read whole on both engines, where PostgreSQL typed the parameter
// int4 and answered 500: a department of that id with no entries exports
// an empty document, and an id that large of no department is 404
// department_not_found (TestExportsOfNoDepartment), not the empty
// document it answered before.
func TestRegistrationExportLargeDepartmentID(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		if _, err := db.Write().ExecContext(t.Context(), `INSERT INTO departments (id, name, short_name, uscc, region_code, is_operator, created_at)
			VALUES (3000000000, '南海区大编号单位', '', '114406051154099991', '440605', false, $1)`, t0); err != nil {
			t.Fatal(err)
		}
		r := f.do(t, "GET", "/api/v1/catalog/registration?department_id=3000000000", f.readKey, "")
		if r.status != 200 {
			t.Fatalf("export of department 3000000000: got %d %v, want 200", r.status, r.body)
		}
		if entries, ok := r.body["entries"].([]any); !ok || len(entries) != 0 {
			t.Errorf("export of department 3000000000: entries %v, want none", r.body["entries"])
		}
		r = f.do(t, "GET", "/api/v1/catalog/registration?department_id=3000000001", f.readKey, "")
		if r.status != 404 || r.body["code"] != "department_not_found" {
			t.Errorf("export of department 3000000001, none: got %d %v, want 404 department_not_found", r.status, r.body)
		}
	})
}
