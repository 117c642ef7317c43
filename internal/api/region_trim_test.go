package api_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCreateRegionAnswersStored: POST /api/v1/regions answers the region
// as stored, its name trimmed, as GET answers it, not the request's.
func TestCreateRegionAnswersStored(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		r := f.do(t, "POST", "/api/v1/regions", f.opKey, `{"code":"440606","name":"  顺德区  ","level":"district","parent_code":"440000"}`)
		if r.status != 201 || r.body["name"] != "顺德区" {
			t.Errorf("POST a region named with spaces around: %d %v, want 201 named 顺德区", r.status, r.body)
		}
		var name string
		if err := db.Read().QueryRowContext(t.Context(), `SELECT name FROM regions WHERE code = '440606'`).Scan(&name); err != nil || name != "顺德区" {
			t.Errorf("stored: %q %v", name, err)
		}
	})
}
