package api_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestAuditCursor: the audit list's cursor is the seq below which to
// list, a positive integer as a next_cursor gives it; any other (0, which
// has nothing below it, a negative, a non-number) is refused as the
// keyset lists refuse a cursor no page gave, 400 invalid_cursor, where 0
// served the newest page, as no cursor does.
func TestAuditCursor(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		r := f.do(t, "GET", "/api/v1/audit?limit=1", f.opKey, "")
		next, _ := r.body["next_cursor"].(string)
		if r.status != 200 || next == "" {
			t.Fatalf("first page: %d %v", r.status, r.body)
		}
		if r := f.do(t, "GET", "/api/v1/audit?limit=1&cursor="+next, f.opKey, ""); r.status != 200 {
			t.Errorf("cursor=%s: %d %v", next, r.status, r.body)
		}
		for _, c := range []string{"0", "-1", "abc", "00", "+5"} {
			r := f.do(t, "GET", "/api/v1/audit?cursor="+c, f.opKey, "")
			if detail, _ := r.body["detail"].(string); r.status != 400 || r.body["code"] != "invalid_cursor" || r.body["field"] != "cursor" || !hasHan(detail) {
				t.Errorf("cursor=%s: got %d %v %v %v, want 400 invalid_cursor of cursor", c, r.status, r.body["code"], r.body["field"], r.body["detail"])
			}
		}
	})
}
