package api_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCatalogReviewRefusalsAudited: a department's reviewer, who reviews
// nothing of the catalog, refused (403) the approval or rejection of a
// revision or of a retirement request, or a source's decision, leaves a denied row of the action on
// the entry, with the refusal's code, as other refused actions do. Before,
// these refusals left no row.
func TestCatalogReviewRefusalsAudited(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin, op, reviewer := f.session(t, "mz.admin"), f.session(t, "nh.op"), f.session(t, "mz.reviewer")
		base := publishedEntry(t, f, admin, op)
		id := base[strings.LastIndex(base, "/")+1:]
		if r := f.do(t, "POST", base+"/retire", "", `{"reason":"停止采集"}`, admin...); r.status != 202 {
			t.Fatalf("request: %d %v", r.status, r.body)
		}
		for _, c := range []struct{ path, body, action string }{
			{"/approve", "", "catalog.approve"},
			{"/reject", `{"reason":"不同意"}`, "catalog.reject"},
			{"/retire/approve", "", "catalog.retire.approve"},
			{"/retire/reject", `{"reason":"不同意"}`, "catalog.retire.reject"},
			{"/conflicts/1/decision", `{"entry_id":1}`, "catalog.source.decide"},
		} {
			if r := f.do(t, "POST", base+c.path, "", c.body, reviewer...); r.status != 403 || r.body["code"] != "forbidden" {
				t.Errorf("department reviewer POST …%s: %d %v, want 403 forbidden", c.path, r.status, r.body)
			}
			var n int
			err := db.Read().QueryRowContext(t.Context(), `SELECT count(*) FROM audit_log WHERE action = $1 AND outcome = 'denied'
				AND object_type = 'catalog_entry' AND object_id = $2 AND actor_name = 'mz.reviewer' AND detail = '{"reason":"forbidden"}'`,
				c.action, id).Scan(&n)
			if err != nil {
				t.Fatal(err)
			}
			if n != 1 {
				t.Errorf("%d denied rows of %s by mz.reviewer on entry %s, want 1", n, c.action, id)
			}
		}
	})
}
