package api_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCatalogEditRefusedBeforeBody: another department's administrator
// (catalog.write) editing (PUT) or retiring an entry is refused whatever
// its body: 403 forbidden for a published entry, 404 entry_not_found for
// a draft it may not see, as for an id that does not exist, where a body
// that did not parse or a blank reason was told 400 (invalid_type,
// reason_required). Nothing changes. On both engines.
func TestCatalogEditRefusedBeforeBody(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		f.account(t, "nh.admin", f.deptID, "dept_admin")
		admin, op, other := f.session(t, "mz.admin"), f.session(t, "nh.op"), f.session(t, "nh.admin")
		published := publishedEntry(t, f, admin, op)
		r := f.do(t, "POST", "/api/v1/catalog/entries", "", strings.Replace(marriageEntry, "婚姻登记信息", "收养登记信息", 1), admin...)
		if r.status != 201 {
			t.Fatalf("create a draft: %d %v", r.status, r.body)
		}
		draft := "/api/v1/catalog/entries/" + jsonNumber(r.body["id"])
		for _, c := range []struct {
			path   string
			status int
			code   string
		}{
			{published, 403, "forbidden"},
			{draft, 404, "entry_not_found"},
			{"/api/v1/catalog/entries/987654", 404, "entry_not_found"},
		} {
			for _, req := range []struct{ method, path, body string }{
				{"PUT", c.path, `{"name":1}`},
				{"PUT", c.path, `{"nonsense":true}`},
				{"POST", c.path + "/retire", `{"reason":1}`},
				{"POST", c.path + "/retire", `{"reason":" "}`},
			} {
				if r := f.do(t, req.method, req.path, "", req.body, other...); r.status != c.status || r.body["code"] != c.code {
					t.Errorf("%s %s %s by another department: %d %v, want %d %s", req.method, req.path, req.body,
						r.status, r.body, c.status, c.code)
				}
			}
		}
		if r := f.do(t, "GET", published, "", "", admin...); r.body["status"] != "published" || r.body["version"] != 1.0 {
			t.Errorf("the entry after the refusals: %v, want published, version 1", r.body)
		}
	})
}
