package api_test

import (
	"encoding/json"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestUpdateDepartmentIfMatch: GET /departments/{id} answers an ETag, and
// a PUT sent with it in If-Match saves only while the department is as it
// was read: operator A renames it, then operator B, who read it before,
// changes only its short name and is refused (409 concurrent_update),
// A's name kept. The body GET answered is accepted back by PUT, its
// read-only fields (id, created_at, is_operator …) ignored.
func TestUpdateDepartmentIfMatch(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		path := "/api/v1/departments/" + itoa(f.otherID)
		read := f.do(t, "GET", path, f.opKey, "")
		tag := read.header.Get("ETag")
		if read.status != 200 || len(tag) < 3 || tag[0] != '"' {
			t.Fatalf("GET %s: %d, ETag %q", path, read.status, tag)
		}
		// A: the body as read, renamed, sent back with its tag.
		a := read.body
		a["name"] = "南海区民政和人力资源局"
		body, _ := json.Marshal(a)
		r := f.do(t, "PUT", path, f.opKey, string(body), "If-Match", tag)
		if r.status != 200 || r.body["name"] != "南海区民政和人力资源局" {
			t.Fatalf("A's PUT of the body GET answered: %d %v", r.status, r.body)
		}
		if nt := r.header.Get("ETag"); nt == "" || nt == tag {
			t.Errorf("ETag after the rename: %q, want a new one (was %q)", nt, tag)
		}
		// B: read before A saved, changes only the short name.
		r = f.do(t, "PUT", path, f.opKey, `{"name":"南海区民政局","short_name":"南海民政","uscc":"11440605MB2C9235XX"}`, "If-Match", tag)
		if r.status != 409 || r.body["code"] != "concurrent_update" {
			t.Errorf("B's stale PUT: %d %v, want 409 concurrent_update", r.status, r.body)
		}
		if got := f.do(t, "GET", path, f.opKey, ""); got.body["name"] != "南海区民政和人力资源局" || got.body["short_name"] != nil {
			t.Errorf("after the stale PUT: %v, want A's name and no short name", got.body)
		}
		// B reads again and saves with the new tag.
		tag = f.do(t, "GET", path, f.opKey, "").header.Get("ETag")
		r = f.do(t, "PUT", path, f.opKey, `{"name":"南海区民政和人力资源局","short_name":"南海民政","uscc":"11440605MB2C9235XX"}`, "If-Match", tag)
		if r.status != 200 || r.body["short_name"] != "南海民政" {
			t.Errorf("PUT with the current tag: %d %v", r.status, r.body)
		}
	})
}
