package demo_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// TestSeedActorChinese: the demo catalog's versions name their editor and
// reviewer 演示数据, the demo's seeding (a system actor, none of its
// accounts), as the console's version history (编制人, 审核) and the audit
// log show them, where they said "demo". On both engines.
func TestSeedActorChinese(t *testing.T) {
	eachSeeded(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		for _, c := range []struct{ what, query string }{
			{"versions", `SELECT count(*) FROM catalog_entry_versions`},
			{"versions compiled by 演示数据", `SELECT count(*) FROM catalog_entry_versions WHERE created_by = '演示数据'`},
			{"versions reviewed by 演示数据", `SELECT count(*) FROM catalog_entry_versions WHERE reviewed_by = '演示数据'`},
		} {
			var n int
			if err := db.Read().QueryRowContext(ctx, c.query).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				t.Errorf("%s: none", c.what)
			}
		}
		var english int
		if err := db.Read().QueryRowContext(ctx, `SELECT (SELECT count(*) FROM catalog_entry_versions WHERE created_by = 'demo' OR reviewed_by = 'demo')
			+ (SELECT count(*) FROM audit_log WHERE actor_name = 'demo')`).Scan(&english); err != nil {
			t.Fatal(err)
		}
		if english != 0 {
			t.Errorf("versions and audit rows naming their actor demo: %d, want 0", english)
		}
	})
}
