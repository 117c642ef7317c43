package api_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCreateEntryNameInUse: POST of an entry named as a draft of the
// department (the request sent twice) is refused with 409
// duplicate_entry_name on name, and creates no second entry.
func TestCreateEntryNameInUse(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin := f.session(t, "mz.admin")
		if r := f.do(t, "POST", "/api/v1/catalog/entries", "", marriageEntry, admin...); r.status != 201 {
			t.Fatalf("create: %d %v", r.status, r.body)
		}
		n := f.count(t, "catalog_entries")
		r := f.do(t, "POST", "/api/v1/catalog/entries", "", marriageEntry, admin...)
		if r.status != 409 || r.body["code"] != "duplicate_entry_name" || r.body["field"] != "name" {
			t.Errorf("create again: %d %v, want 409 duplicate_entry_name on name", r.status, r.body)
		}
		if m := f.count(t, "catalog_entries"); m != n {
			t.Errorf("%d entries after the refusal, want %d", m, n)
		}
	})
}
