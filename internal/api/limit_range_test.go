package api_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestNumberOutOfRange: a limit too large for a 64-bit integer is clamped
// to the list's maximum as 1001 is, where it was refused as "not a
// non-negative integer"; another integer parameter that large is refused
// (400 invalid_number, the code of a malformed one) saying it is out of
// range. On both engines.
func TestNumberOutOfRange(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		const huge = "99999999999999999999"
		for _, tt := range []struct{ path, key string }{
			{"/api/v1/catalog/entries?limit=", f.readKey},
			{"/api/v1/public/catalog?limit=", ""},
			{"/api/v1/regions?limit=", f.readKey},
			{"/api/v1/departments?limit=", f.readKey},
			{"/api/v1/audit?limit=", f.opKey},
		} {
			// Reading the audit log adds a row to it: the second page holds one more.
			clamped := f.do(t, "GET", tt.path+"1001", tt.key, "")
			r := f.do(t, "GET", tt.path+huge, tt.key, "")
			if r.status != 200 || clamped.status != 200 || len(r.body["items"].([]any)) < len(clamped.body["items"].([]any)) {
				t.Errorf("GET %s%s: got %d %v, want 200 as with limit=1001 (%d)", tt.path, huge, r.status, r.body, clamped.status)
			}
		}
		for _, tt := range []struct{ path, key, field string }{
			{"/api/v1/catalog/entries?department_id=" + huge, f.readKey, "department_id"},
			{"/api/v1/audit?department_id=" + huge, f.opKey, "department_id"},
			{"/api/v1/catalog/entries?limit=-" + huge, f.readKey, "limit"},
		} {
			r := f.do(t, "GET", tt.path, tt.key, "")
			detail, _ := r.body["detail"].(string)
			want := "超出范围"
			if strings.Contains(tt.path, "=-") {
				want = "应为非负整数"
			}
			if r.status != 400 || r.body["code"] != "invalid_number" || r.body["field"] != tt.field || !strings.Contains(detail, want) {
				t.Errorf("GET %s: got %d %v, want 400 invalid_number on %s saying %s", tt.path, r.status, r.body, tt.field, want)
			}
		}
	})
}
