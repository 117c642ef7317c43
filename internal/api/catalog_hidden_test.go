package api_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestChangeHiddenEntry: a department that GET answers 404 for another
// department's draft gets 404 entry_not_found from PUT, submit and retire
// too, where 403 told the draft exists; another department's published
// entry, which it sees, stays 403.
func TestChangeHiddenEntry(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin, op := f.session(t, "mz.admin"), f.session(t, "nh.op")
		// An app of the operator's department compiles that department's
		// catalog: another department to 民政局's entries.
		r := f.do(t, "POST", "/api/v1/apps", "", `{"name":"目录编制","scopes":["catalog.read","catalog.write"]}`, op...)
		if r.status != 201 {
			t.Fatalf("app: %d %v", r.status, r.body)
		}
		other := r.body["api_key"].(string)
		published := publishedEntry(t, f, admin, op)
		r = f.do(t, "POST", "/api/v1/catalog/entries", "", strings.Replace(marriageEntry, "婚姻登记信息", "收养登记信息", 1), admin...)
		if r.status != 201 {
			t.Fatalf("create the draft: %d %v", r.status, r.body)
		}
		draft := "/api/v1/catalog/entries/" + jsonNumber(r.body["id"])
		if r := f.do(t, "GET", draft, other, ""); r.status != 404 {
			t.Fatalf("GET another department's draft: %d %v, want 404", r.status, r.body)
		}
		for _, c := range []struct{ method, suffix, body string }{
			{"PUT", "", marriageEntry},
			{"POST", "/submit", ""},
			{"POST", "/retire", `{"reason":"停止采集"}`},
		} {
			if r := f.do(t, c.method, draft+c.suffix, other, c.body); r.status != 404 || r.body["code"] != "entry_not_found" {
				t.Errorf("%s %s of another department's draft: got %d %v, want 404 entry_not_found", c.method, c.suffix, r.status, r.body)
			}
			if r := f.do(t, c.method, published+c.suffix, other, c.body); r.status != 403 {
				t.Errorf("%s %s of another department's published entry: got %d %v, want 403", c.method, c.suffix, r.status, r.body)
			}
		}
	})
}
