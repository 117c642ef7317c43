package api_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/api"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestEntryTagOfItsBody: a GET of an entry answers the ETag of the body it
// answers, whatever is committed between reading the entry and its tag
// (api.OnEntryRead). An edit of a draft committed there (a draft keeps its
// version number) leaves the answer the content read with its own tag, and
// a PUT of that body with that tag is refused 409 concurrent_update rather
// than overwriting the edit it never saw; a revision discarded there leaves
// the answer the revision read, 200 with its tag, which a PUT is refused
// for, where it was a 500; the entry read again has no revision.
func TestEntryTagOfItsBody(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin, op := f.session(t, "mz.admin"), f.session(t, "nh.op")
		draftEntry := strings.Replace(marriageEntry, `"婚姻登记信息"`, `"婚姻登记信息（草稿）"`, 1)
		r := f.do(t, "POST", "/api/v1/catalog/entries", "", draftEntry, admin...)
		if r.status != 201 {
			t.Fatalf("create: %d %v", r.status, r.body)
		}
		draft := "/api/v1/catalog/entries/" + jsonNumber(r.body["id"])
		edited := func(body string) string {
			return strings.Replace(body, "结婚登记、离婚登记", "另一人改过的摘要", 1)
		}
		between := func(method, path, body string) *response {
			var got response
			once := false
			api.OnEntryRead(t, func() {
				if !once {
					once = true
					got = f.do(t, method, path, "", body, admin...)
				}
			})
			return &got
		}

		edit := between("PUT", draft, edited(draftEntry))
		get := f.do(t, "GET", draft, "", "", admin...)
		api.OnEntryRead(t, nil)
		if edit.status != 200 || get.status != 200 || strings.Contains(fmt.Sprint(get.body["abstract"]), "另一人") {
			t.Fatalf("edit between the reads: %d %v; GET %d %v", edit.status, edit.body, get.status, get.body)
		}
		put := f.do(t, "PUT", draft, "", draftEntry, append([]string{"If-Match", get.header.Get("ETag")}, admin...)...)
		if put.status != 409 || put.body["code"] != "concurrent_update" {
			t.Errorf("PUT of the body read with its ETag: %d %v, want 409 concurrent_update", put.status, put.body)
		}
		if w := f.do(t, "GET", draft, "", "", admin...); !strings.Contains(fmt.Sprint(w.body["abstract"]), "另一人") {
			t.Errorf("after the refused PUT: %v, want the edit made between the reads", w.body["abstract"])
		}

		published := publishedEntry(t, f, admin, op)
		if r := f.do(t, "PUT", published, "", edited(marriageEntry), admin...); r.status != 200 {
			t.Fatalf("open a revision: %d %v", r.status, r.body)
		}
		discard := between("DELETE", published+"/revision", "")
		get = f.do(t, "GET", published+"?view=working", "", "", admin...)
		api.OnEntryRead(t, nil)
		if discard.status != 200 || get.status != 200 || get.header.Get("ETag") == "" || get.body["working_version"] == nil {
			t.Fatalf("revision discarded between the reads: %d %v; GET %d %v, ETag %q", discard.status, discard.body,
				get.status, get.body, get.header.Get("ETag"))
		}
		put = f.do(t, "PUT", published, "", edited(marriageEntry), append([]string{"If-Match", get.header.Get("ETag")}, admin...)...)
		if put.status != 409 || put.body["code"] != "concurrent_update" {
			t.Errorf("PUT of the discarded revision with its ETag: %d %v, want 409 concurrent_update", put.status, put.body)
		}
		if w := f.do(t, "GET", published+"?view=working", "", "", admin...); w.status != 200 || w.body["working_version"] != nil {
			t.Errorf("read again: %d %v, want the entry without its revision", w.status, w.body)
		}
	})
}
