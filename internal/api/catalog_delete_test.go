package api_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDeleteDraft: DELETE /api/v1/catalog/entries/{id} deletes a draft of
// the caller's department (204, then 404); a published entry (409
// entry_published), one under review (409 entry_submitted), another
// department's (403) and a caller without catalog.write (403) are refused
// and the entry stays.
func TestDeleteDraft(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin, op := f.session(t, "mz.admin"), f.session(t, "nh.op")
		published := publishedEntry(t, f, admin, op)
		draftOf := func(name string) string {
			t.Helper()
			r := f.do(t, "POST", "/api/v1/catalog/entries", "", strings.Replace(marriageEntry, "婚姻登记信息", name, 1), admin...)
			if r.status != 201 {
				t.Fatalf("create %s: %d %v", name, r.status, r.body)
			}
			return "/api/v1/catalog/entries/" + jsonNumber(r.body["id"])
		}
		draft := draftOf("婚姻登记补领信息")
		submitted := draftOf("离婚登记信息")
		if r := f.do(t, "POST", submitted+"/submit", "", "", admin...); r.status != 200 {
			t.Fatalf("submit: %d %v", r.status, r.body)
		}
		for _, c := range []struct {
			what, path, key string
			hdr             []string
			status          int
			code, state     string
		}{
			{"another department", draft, "", op, 403, "forbidden", "draft"},
			{"an app reading the catalog only", draft, f.readKey, nil, 403, "", "draft"},
			{"a published entry", published, "", admin, 409, "entry_published", "published"},
			{"an entry under review", submitted, "", admin, 409, "entry_submitted", "submitted"},
		} {
			r := f.do(t, "DELETE", c.path, c.key, "", c.hdr...)
			if r.status != c.status || (c.code != "" && r.body["code"] != c.code) {
				t.Errorf("%s: got %d %v, want %d %s", c.what, r.status, r.body, c.status, c.code)
			}
			if r := f.do(t, "GET", c.path, "", "", admin...); r.status != 200 || r.body["status"] != c.state {
				t.Errorf("%s: after the refusal %d %v, want %s", c.what, r.status, r.body["status"], c.state)
			}
		}
		if r := f.do(t, "DELETE", draft, "", "", admin...); r.status != 204 {
			t.Fatalf("delete the draft: got %d %v, want 204", r.status, r.body)
		}
		for _, m := range []string{"GET", "DELETE"} {
			if r := f.do(t, m, draft, "", "", admin...); r.status != 404 || r.body["code"] != "entry_not_found" {
				t.Errorf("%s the deleted draft: got %d %v, want 404 entry_not_found", m, r.status, r.body)
			}
		}
	})
}
