package sqldb_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestMigration0041RetireRequestHistory: 0041 keeps the retirement
// requests 0036 left, one an entry, under review or sent back, and lets an
// entry keep several (its history), approved and withdrawn too; still at
// most one of an entry is under review. On both engines.
func TestMigration0041RetireRequestHistory(t *testing.T) {
	atMigration(t, "0039_catalog_facet_deltas.sql", func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		at := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
		departmentOne(t, db, at)
		for _, id := range []int64{1, 2} {
			if _, err := db.Write().ExecContext(ctx, `INSERT INTO catalog_entries (id, code, department_id, status, version,
				published_version, working_version, name, name_key, abstract, domain, share_type, share_methods,
				update_frequency, security_level, open_attribute, subject_kind, data, created_at, updated_at)
				VALUES ($1, $2, 1, 'published', 1, 1, 0, $2, $2, '', '18', 'unconditional', 1, 'daily', 1, 'open', 'none', '{}', $3, $3)`,
				id, "101001/00000"+string(rune('0'+id)), at); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.Write().ExecContext(ctx, `INSERT INTO catalog_retire_requests (entry_id, state, reason, requested_by,
			requested_at) VALUES (1, 'requested', '职能调整', 'gaj', $1)`, at); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Write().ExecContext(ctx, `INSERT INTO catalog_retire_requests (entry_id, state, reason, requested_by,
			requested_at, reject_reason, reviewed_by, reviewed_at) VALUES (2, 'rejected', '数据已迁移', 'gaj', $1, '仍在用', 'shenhe', $2)`,
			at, at.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		rows := func() [][]string {
			return sqldbtest.QueryRows(t, db.Read(), `SELECT CAST(entry_id AS TEXT), state, reason, reject_reason, reviewed_by
				FROM catalog_retire_requests ORDER BY id`)
		}
		want := [][]string{{"1", "requested", "职能调整", "", ""}, {"2", "rejected", "数据已迁移", "仍在用", "shenhe"}}
		if diff := cmp.Diff(want, rows()); diff != "" {
			t.Fatalf("requests after 0041 (-want +got):\n%s", diff)
		}
		insert := func(entry int64, state string) error {
			_, err := db.Write().ExecContext(ctx, `INSERT INTO catalog_retire_requests (entry_id, state, reason, requested_by,
				requested_at) VALUES ($1, $2, '再次申请', 'gaj', $3)`, entry, state, at.Add(2*time.Hour))
			return err
		}
		if err := insert(1, "requested"); err == nil {
			t.Errorf("a second request of entry 1 under review was written")
		}
		for _, s := range []string{"requested", "withdrawn", "approved"} {
			if err := insert(2, s); err != nil {
				t.Errorf("entry 2's %s request after one sent back: %v", s, err)
			}
		}
		want = append(want, []string{"2", "requested", "再次申请", "", ""}, []string{"2", "withdrawn", "再次申请", "", ""},
			[]string{"2", "approved", "再次申请", "", ""})
		if diff := cmp.Diff(want, rows()); diff != "" {
			t.Errorf("requests kept (-want +got):\n%s", diff)
		}
	})
}
