package api_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRegistrationExportLargeDepartmentID: a department id beyond 32 bits
// names no department, and the export answers an empty document on both
// engines; PostgreSQL typed the parameter int4 and answered 500.
func TestRegistrationExportLargeDepartmentID(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		r := f.do(t, "GET", "/api/v1/catalog/registration?department_id=3000000000", f.readKey, "")
		if r.status != 200 {
			t.Fatalf("export of department 3000000000: got %d %v, want 200", r.status, r.body)
		}
		if entries, ok := r.body["entries"].([]any); !ok || len(entries) != 0 {
			t.Errorf("export of department 3000000000: entries %v, want none", r.body["entries"])
		}
	})
}
