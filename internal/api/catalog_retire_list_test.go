package api_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRetireRequestsListPaged: GET /api/v1/catalog/retire-requests takes
// limit and cursor, as the other lists do, and the catalog search's
// filters of the entries, where it read every pending request at once and
// refused ?limit=2 (400 unknown_parameter); a cursor no page of the list
// gave is refused (400 invalid_cursor).
func TestRetireRequestsListPaged(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin, op := f.session(t, "mz.admin"), f.session(t, "nh.op")
		base := publishedEntry(t, f, admin, op)
		entry := f.do(t, "GET", base, f.readKey, "").body
		if r := f.do(t, "POST", base+"/retire", "", `{"reason":"停止采集"}`, admin...); r.status != 202 {
			t.Fatalf("request: %d %v", r.status, r.body)
		}
		list := "/api/v1/catalog/retire-requests"
		items := func(query string) []any {
			t.Helper()
			r := f.do(t, "GET", list+query, "", "", op...)
			if r.status != 200 {
				t.Fatalf("%s: %d %v", query, r.status, r.body)
			}
			if _, has := r.body["next_cursor"]; has {
				t.Errorf("%s: next_cursor %v with no more requests", query, r.body["next_cursor"])
			}
			out, _ := r.body["items"].([]any)
			return out
		}
		if got := items("?limit=2"); len(got) != 1 || got[0].(map[string]any)["code"] != entry["code"] {
			t.Errorf("?limit=2: %v, want the request", got)
		}
		other := "04"
		if entry["domain"] == other {
			other = "05"
		}
		if got := items("?domain=" + other); len(got) != 0 {
			t.Errorf("?domain=%s: %v, want none", other, got)
		}
		if got := items("?domain=" + entry["domain"].(string)); len(got) != 1 {
			t.Errorf("its domain: %v, want the request", got)
		}
		if r := f.do(t, "GET", list+"?cursor=eyJ0IjoiMjAyNi0wMS0wMVQwMDowMDowMFoiLCJpIjoxfQ", "", "", op...); r.status != 400 || r.body["code"] != "invalid_cursor" {
			t.Errorf("a cursor of no page: %d %v, want 400 invalid_cursor", r.status, r.body)
		}
	})
}
