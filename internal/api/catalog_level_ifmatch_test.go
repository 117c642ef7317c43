package api_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestSecurityLevelIfMatch: a level's PUT overwrote whatever another
// operator had saved since it was read. GET lists each level's tag, a PUT
// answers the saved one as its ETag, and a PUT whose If-Match names
// another is refused 409 concurrent_update, nothing changed; the same PUT
// retried is answered 200 as stored; without If-Match it saves as before;
// the body may carry the tag read back (ignored).
func TestSecurityLevelIfMatch(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		op := f.session(t, "nh.op")
		r := f.do(t, "GET", "/api/v1/catalog/security-levels", "", "", op...)
		items, _ := r.body["items"].([]any)
		if r.status != 200 || len(items) != 4 {
			t.Fatalf("levels: %d %v", r.status, r.body)
		}
		read, _ := items[1].(map[string]any)["tag"].(string)
		if read == "" {
			t.Fatalf("level 2 %v without its tag", items[1])
		}
		const first = `{"name":"二级（甲）","description":"甲填写的说明"}`
		hdr := append([]string{"If-Match", `"` + read + `"`}, op...)
		r = f.do(t, "PUT", "/api/v1/catalog/security-levels/2", "", first, hdr...)
		saved, _ := r.body["tag"].(string)
		if r.status != 200 || saved == "" || saved == read || r.header.Get("ETag") != `"`+saved+`"` {
			t.Fatalf("the first PUT: %d %v ETag %q, want 200 with the new tag as its ETag", r.status, r.body, r.header.Get("ETag"))
		}
		if r = f.do(t, "PUT", "/api/v1/catalog/security-levels/2", "", first, hdr...); r.status != 200 || r.body["tag"] != saved {
			t.Errorf("the first PUT retried: %d %v, want 200 as stored", r.status, r.body)
		}
		r = f.do(t, "PUT", "/api/v1/catalog/security-levels/2", "", `{"name":"二级（乙）","description":"乙填写的说明","tag":"`+read+`"}`, hdr...)
		if r.status != 409 || r.body["code"] != "concurrent_update" {
			t.Errorf("the second PUT from the old read: %d %v, want 409 concurrent_update", r.status, r.body)
		}
		var name string
		if err := db.Read().QueryRowContext(t.Context(), `SELECT name FROM catalog_security_levels WHERE level = 2`).Scan(&name); err != nil || name != "二级（甲）" {
			t.Errorf("level 2 named %q, %v; want the first PUT's", name, err)
		}
		if r = f.do(t, "PUT", "/api/v1/catalog/security-levels/2", "", `{"name":"二级（乙）","description":"乙填写的说明"}`, op...); r.status != 200 {
			t.Errorf("a PUT without If-Match: %d %v, want 200", r.status, r.body)
		}
	})
}
