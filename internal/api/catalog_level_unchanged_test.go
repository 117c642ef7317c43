package api_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestSecurityLevelPutUnchanged: a level's PUT of its name and
// description as stored moved updated_at and wrote an audit row. It now
// writes nothing and answers the level as it is, its ETag the same, with
// Hutong-Unchanged: true, as a PUT of an entry's metadata does; a PUT that
// changes the level answers without the header. On both engines.
func TestSecurityLevelPutUnchanged(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		op := f.session(t, "nh.op")
		audited := func() int {
			t.Helper()
			var n int
			if err := db.Read().QueryRowContext(t.Context(), `SELECT count(*) FROM audit_log
				WHERE action = 'catalog.security_level.update' AND object_id = '2'`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		const body = `{"name":"二级（内部）","description":"仅限政务部门内部使用"}`
		r := f.do(t, "PUT", "/api/v1/catalog/security-levels/2", "", body, op...)
		if r.status != 200 || r.header.Get("Hutong-Unchanged") != "" {
			t.Fatalf("the change: %d %v Hutong-Unchanged %q, want 200 without the header", r.status, r.body, r.header.Get("Hutong-Unchanged"))
		}
		etag, updated := r.header.Get("ETag"), r.body["updated_at"]
		for _, c := range []struct {
			what string
			hdr  []string
		}{
			{"sent again", op},
			{"sent again with its ETag", append([]string{"If-Match", etag}, op...)},
		} {
			r := f.do(t, "PUT", "/api/v1/catalog/security-levels/2", "", body, c.hdr...)
			if r.status != 200 || r.header.Get("Hutong-Unchanged") != "true" || r.header.Get("ETag") != etag ||
				r.body["updated_at"] != updated || r.body["name"] != "二级（内部）" {
				t.Errorf("%s: %d %v ETag %q Hutong-Unchanged %q, want 200 as stored, ETag %s, updated_at %v, Hutong-Unchanged true",
					c.what, r.status, r.body, r.header.Get("ETag"), r.header.Get("Hutong-Unchanged"), etag, updated)
			}
			if n := audited(); n != 1 {
				t.Errorf("%s: %d audit rows of level 2, want 1 (the change)", c.what, n)
			}
		}
	})
}
