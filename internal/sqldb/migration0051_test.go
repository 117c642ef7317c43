package sqldb_test

import (
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// TestMigration0051DistinctItems: a database at 0050 holding a source
// conflict decided for an entry and one undecided keeps both as they were
// after 0051, neither decided distinct, and no pair of entries is
// separated (catalog_distinct_items is empty): existing decisions stand
// until a reviewer decides otherwise. On both engines.
func TestMigration0051DistinctItems(t *testing.T) {
	atMigration(t, "0050_catalog_ids_not_reused.sql", func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		at := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
		departmentOne(t, db, at)
		var entry int64
		if err := db.Write().QueryRowContext(ctx, `INSERT INTO catalog_entries (code, department_id, status, version,
			published_version, working_version, name, name_key, abstract, domain, share_type, share_methods,
			update_frequency, security_level, open_attribute, subject_kind, data, created_at, updated_at)
			VALUES ('101001/000001', 1, 'submitted', 1, 0, 1, '婚姻登记信息', '婚姻登记信息', '', '18', 'unconditional', 5,
			'daily', 2, 'open', 'person', '{}', $1, $1) RETURNING id`, at).Scan(&entry); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{
			`INSERT INTO catalog_source_conflicts (entry_id, version, subject_kind, item_key, item_name, candidates,
				authoritative_entry_id, decided_by, decided_at, created_at) VALUES ($1, 1, 'person', '姓名', '姓名', '[]', $1, 'shenhe', $2, $2)`,
			`INSERT INTO catalog_source_conflicts (entry_id, version, subject_kind, item_key, item_name, candidates,
				decided_by, created_at) VALUES ($1, 1, 'person', '登记日期', '登记日期', '[]', '', $2)`,
		} {
			if _, err := db.Write().ExecContext(ctx, q, entry, at); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		rows, err := db.Read().QueryContext(ctx, `SELECT item_key, COALESCE(authoritative_entry_id, 0), is_distinct, distinct_from,
			decided_by FROM catalog_source_conflicts ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got []string
		for rows.Next() {
			var key, from, by string
			var source int64
			var distinct bool
			if err := rows.Scan(&key, &source, &distinct, &from, &by); err != nil {
				t.Fatal(err)
			}
			if distinct || from != "[]" || (key == "姓名") != (source == entry) || (key == "姓名") != (by == "shenhe") {
				t.Errorf("conflict %s after 0051: source %d, distinct %v from %s, decided by %q", key, source, distinct, from, by)
			}
			got = append(got, key)
		}
		if err := rows.Err(); err != nil || len(got) != 2 {
			t.Fatalf("conflicts after 0051: %v %v, want 姓名 and 登记日期", got, err)
		}
		var n int
		if err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM catalog_distinct_items`).Scan(&n); err != nil || n != 0 {
			t.Errorf("%d separated pairs after 0051 (%v), want none", n, err)
		}
	})
}
