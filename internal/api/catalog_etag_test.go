package api_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestEntryIfMatch: GET of an entry answers an ETag; a PUT whose If-Match
// holds it saves and answers the new one, a PUT with the stale tag (another
// edit saved meanwhile) is refused with 409 concurrent_update and changes
// nothing; one with the current tag made weak (W/"…", which If-Match
// never matches) is refused 400 bad_if_match, changing nothing too; a PUT
// without If-Match, or with
// *, saves as before. For a published entry, the first edit opens a
// revision and the tag changes with it.
func TestEntryIfMatch(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin, op := f.session(t, "mz.admin"), f.session(t, "nh.op")
		r := f.do(t, "POST", "/api/v1/catalog/entries", "",
			strings.Replace(marriageEntry, `"婚姻登记信息"`, `"婚姻登记信息（草稿）"`, 1), admin...)
		if r.status != 201 {
			t.Fatalf("create: %d %v", r.status, r.body)
		}
		draft := "/api/v1/catalog/entries/" + jsonNumber(r.body["id"])
		published := publishedEntry(t, f, admin, op)
		renamed := strings.Replace(marriageEntry, `"婚姻登记信息"`, `"婚姻登记信息（甲）"`, 1)
		abstract := strings.Replace(marriageEntry, "结婚登记、离婚登记", "结婚、离婚登记", 1)
		for _, base := range []string{draft, published} {
			get := f.do(t, "GET", base, "", "", admin...)
			stale := get.header.Get("ETag")
			if get.status != 200 || stale == "" {
				t.Fatalf("%s: GET %d with ETag %q", base, get.status, stale)
			}
			if w := f.do(t, "GET", base+"?view=working", "", "", admin...).header.Get("ETag"); w != stale {
				t.Errorf("%s: working view ETag %q, want %q", base, w, stale)
			}
			a := f.do(t, "PUT", base, "", renamed, append([]string{"If-Match", stale}, admin...)...)
			if a.status != 200 || a.header.Get("ETag") == "" || a.header.Get("ETag") == stale {
				t.Fatalf("%s: PUT with the current tag: %d %v, ETag %q", base, a.status, a.body, a.header.Get("ETag"))
			}
			for _, c := range []struct {
				tag    string
				status int
				code   string
			}{{stale, 409, "concurrent_update"}, {"W/" + a.header.Get("ETag"), 400, "bad_if_match"}} {
				b := f.do(t, "PUT", base, "", abstract, append([]string{"If-Match", c.tag}, admin...)...)
				if b.status != c.status || b.body["code"] != c.code {
					t.Errorf("%s: PUT with If-Match %s: %d %v, want %d %s", base, c.tag, b.status, b.body, c.status, c.code)
				}
			}
			w := f.do(t, "GET", base+"?view=working", "", "", admin...)
			if w.body["name"] != "婚姻登记信息（甲）" || w.header.Get("ETag") != a.header.Get("ETag") {
				t.Errorf("%s: working copy %v with ETag %q, want the first edit's with %q", base, w.body["name"],
					w.header.Get("ETag"), a.header.Get("ETag"))
			}
			if r := f.do(t, "PUT", base, "", renamed, append([]string{"If-Match", "*"}, admin...)...); r.status != 200 {
				t.Errorf("%s: PUT with If-Match *: %d %v", base, r.status, r.body)
			}
			if r := f.do(t, "PUT", base, "", renamed, admin...); r.status != 200 {
				t.Errorf("%s: PUT without If-Match: %d %v", base, r.status, r.body)
			}
		}
	})
}
