package api_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// publishedEntry creates marriageEntry as admin's draft and has op publish
// it; it returns the entry's path.
func publishedEntry(t *testing.T, f *fixture, admin, op []string) string {
	t.Helper()
	r := f.do(t, "POST", "/api/v1/catalog/entries", "", marriageEntry, admin...)
	if r.status != 201 {
		t.Fatalf("create: %d %v", r.status, r.body)
	}
	base := "/api/v1/catalog/entries/" + jsonNumber(r.body["id"])
	if r = f.do(t, "POST", base+"/submit", "", "", admin...); r.status != 200 {
		t.Fatalf("submit: %d %v", r.status, r.body)
	}
	if r = f.do(t, "POST", base+"/approve", "", "", op...); r.status != 200 {
		t.Fatalf("approve: %d %v", r.status, r.body)
	}
	return base
}

// TestRetireWithoutReason: POST …/retire with no body, or a blank reason,
// is refused as the console refuses it (reason_required on reason), and
// the entry stays published.
func TestRetireWithoutReason(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin, op := f.session(t, "mz.admin"), f.session(t, "nh.op")
		base := publishedEntry(t, f, admin, op)
		for _, body := range []string{"", `{}`, `{"reason":"  "}`} {
			r := f.do(t, "POST", base+"/retire", "", body, admin...)
			if r.status != 400 || r.body["code"] != "reason_required" || r.body["field"] != "reason" {
				t.Errorf("retire with body %q: got %d %v, want 400 reason_required on reason", body, r.status, r.body)
			}
		}
		if r := f.do(t, "GET", base, f.readKey, ""); r.body["status"] != "published" {
			t.Fatalf("after the refusals: %v, want published", r.body["status"])
		}
		if r := f.do(t, "POST", base+"/retire", "", `{"reason":"停止采集"}`, admin...); r.status != 200 || r.body["status"] != "retired" {
			t.Errorf("retire: got %d %v, want 200 retired", r.status, r.body)
		}
	})
}
