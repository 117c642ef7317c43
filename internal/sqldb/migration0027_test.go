package sqldb_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestMigration0027RevisionState: 0027 gives each published entry with a
// revision its working version's state (draft, submitted, rejected) as
// revision_state, and ” to the others: a published entry without one, a
// draft or submitted entry never published (its status tells), a retired
// one.
func TestMigration0027RevisionState(t *testing.T) {
	atMigration(t, "0026_record_entry_stats_last_refused.sql", func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		at := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
		departmentOne(t, db, at)
		for _, e := range []struct {
			id                 int64
			status             string
			published, working int
			states             []string // of versions 1, 2 …
		}{
			{1, "published", 1, 2, []string{"published", "submitted"}},
			{2, "published", 2, 3, []string{"superseded", "published", "draft"}},
			{3, "published", 1, 2, []string{"published", "rejected"}},
			{4, "published", 1, 0, []string{"published"}},
			{5, "submitted", 0, 1, []string{"submitted"}},
			{6, "draft", 0, 1, []string{"draft"}},
			{7, "retired", 1, 0, []string{"retired", "draft"}},
		} {
			if _, err := db.Write().ExecContext(ctx, `INSERT INTO catalog_entries (id, code, department_id, status, version,
				published_version, working_version, name, name_key, abstract, domain, share_type, share_methods,
				update_frequency, security_level, open_attribute, subject_kind, data, created_at, updated_at)
				VALUES ($1, $2, 1, $3, 1, $4, $5, $2, $2, '', '18', 'unconditional', 1, 'daily', 1, 'open', 'none', '{}', $6, $6)`,
				e.id, "101001/00000"+string(rune('0'+e.id)), e.status, e.published, e.working, at); err != nil {
				t.Fatal(err)
			}
			for i, st := range e.states {
				if _, err := db.Write().ExecContext(ctx, `INSERT INTO catalog_entry_versions (entry_id, version, state, data,
					created_at, created_by, updated_at) VALUES ($1, $2, $3, '{}', $4, 'test', $4)`, e.id, i+1, st, at); err != nil {
					t.Fatal(err)
				}
			}
		}
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		got := sqldbtest.QueryRows(t, db.Read(), `SELECT CAST(id AS TEXT), revision_state FROM catalog_entries ORDER BY id`)
		want := [][]string{{"1", "submitted"}, {"2", "draft"}, {"3", "rejected"}, {"4", ""}, {"5", ""}, {"6", ""}, {"7", ""}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("revision_state after 0027 (-want +got):\n%s", diff)
		}
	})
}
