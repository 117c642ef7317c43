package sqldb_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestMigration0050IDsNotReused: a database at 0049 holding catalog
// entries, their versions, source conflicts naming them, a one source and
// a search posting, the two entries created last deleted (audited as
// catalog.Delete audits them), keeps every row after 0050; the indexes and
// triggers are all there (CheckObjects), the triggers still keep the
// search postings and the facet counts, no row names a missing entry
// (SQLite); and neither an entry's id nor a conflict's is given again
// after its row is deleted, the entries deleted before the migration
// included (a conflict deleted before it leaves no trace to go by). On
// both engines.
func TestMigration0050IDsNotReused(t *testing.T) {
	atMigration(t, "0049_audit_actor_kind_discrepancy_departments.sql", func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		at := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
		departmentOne(t, db, at)
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := db.Write().ExecContext(ctx, q, args...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		id := func(q string, args ...any) int64 {
			t.Helper()
			var id int64
			if err := db.Write().QueryRowContext(ctx, q, args...).Scan(&id); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			return id
		}
		entry := func(code, status string) int64 {
			t.Helper()
			return id(`INSERT INTO catalog_entries (code, department_id, status, version, published_version, working_version,
				name, name_key, abstract, domain, share_type, share_methods, update_frequency, security_level,
				open_attribute, subject_kind, data, created_at, updated_at)
				VALUES ($1, 1, $2, 1, 0, 1, $1, $1, '', '18', 'unconditional', 5, 'daily', 2, 'open', 'person', '{}', $3, $3)
				RETURNING id`, code, status, at)
		}
		conflict := func(entry int64, key string) int64 {
			t.Helper()
			return id(`INSERT INTO catalog_source_conflicts (entry_id, version, subject_kind, item_key, item_name,
				candidates, authoritative_entry_id, decided_by, decided_at, created_at)
				VALUES ($1, 1, 'person', $2, $2, '[]', 1, 'shenhe', $3, $3) RETURNING id`, entry, key, at)
		}
		var seq int64
		deleted := func(id int64) {
			t.Helper()
			seq++
			exec(`DELETE FROM catalog_source_conflicts WHERE entry_id = $1`, id)
			exec(`DELETE FROM catalog_entries WHERE id = $1`, id)
			exec(`INSERT INTO audit_log (seq, at, actor_kind, actor_id, actor_name, action, object_type, object_id,
				subject_id, fields, purpose, outcome, detail, remote_addr, prev_hash, hash)
				VALUES ($1, $2, 'user', '1', 'gaj', 'catalog.delete', 'catalog_entry', $3, '', '', '', 'ok', '{}', '', '', '')`,
				seq, at, strconv.FormatInt(id, 10))
		}
		var ids []int64
		for i, s := range []string{"published", "submitted", "draft", "draft"} {
			ids = append(ids, entry("101001/0000"+strconv.Itoa(i+1), s))
		}
		for _, e := range ids[:2] {
			exec(`INSERT INTO catalog_entry_versions (entry_id, version, state, data, created_at, created_by, updated_at)
				VALUES ($1, 1, 'draft', '{}', $2, 'gaj', $2)`, e, at)
		}
		exec(`INSERT INTO catalog_authoritative_items (subject_kind, item_key, entry_id, item_name, decided_at)
			VALUES ('person', '姓名', $1, '姓名', $2)`, ids[0], at)
		exec(`INSERT INTO catalog_search_tokens (token, entry_id, fields) VALUES ('户籍', $1, 1)`, ids[1])
		conflict(ids[1], "姓名")
		conflict(ids[3], "电话")
		deleted(ids[3])
		deleted(ids[2])

		tables := []string{"catalog_entries", "catalog_entry_versions", "catalog_source_conflicts",
			"catalog_authoritative_items", "catalog_search_tokens", "catalog_facet_counts"}
		snapshot := func() map[string][][]string {
			m := map[string][][]string{}
			for _, tbl := range tables {
				m[tbl] = sqldbtest.QueryRows(t, db.Read(), `SELECT * FROM `+tbl+` ORDER BY 1, 2, 3`)
			}
			return m
		}
		before := snapshot()
		if _, err := db.MigrateThrough(ctx, "0050_catalog_ids_not_reused.sql"); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(before, snapshot()); diff != "" {
			t.Fatalf("rows after 0050 (-before +after):\n%s", diff)
		}
		// The migrations after 0050 too, whose objects CheckObjects expects.
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if err := db.CheckObjects(ctx); err != nil {
			t.Fatal(err)
		}
		if db.Dialect == sqldb.SQLite {
			if got := sqldbtest.QueryRows(t, db.Read(), `PRAGMA foreign_key_check`); len(got) != 0 {
				t.Errorf("rows naming a missing row after 0050: %v", got)
			}
		}

		// The triggers dropped with the table are back.
		exec(`UPDATE catalog_entries SET department_id = 1, updated_at = $2 WHERE id = $1`, ids[1], at.Add(time.Hour))
		if got := sqldbtest.QueryRows(t, db.Read(), `SELECT CAST(department_id AS TEXT) FROM catalog_search_tokens
			WHERE entry_id = $1 AND updated_at = $2`, ids[1], at.Add(time.Hour)); len(got) != 1 {
			t.Errorf("search postings of entry %d after its update: %v, want its updated_at followed", ids[1], got)
		}
		count := func() int64 {
			t.Helper()
			return id(`SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM catalog_facet_counts WHERE facet = 'domain' AND value = '18'`)
		}
		n := count()

		next := entry("101001/00005", "draft")
		if next <= ids[3] {
			t.Errorf("the entry created after 0050 took id %d; ids up to %d were given before", next, ids[3])
		}
		if got := count(); got != n+1 {
			t.Errorf("domain 18 counts %d entries after one more was created, want %d", got, n+1)
		}
		deleted(next)
		if again := entry("101001/00006", "draft"); again <= next {
			t.Errorf("the entry created after %d was deleted took id %d, want a new one", next, again)
		}
		c := conflict(ids[1], "电话")
		exec(`DELETE FROM catalog_source_conflicts WHERE id = $1`, c)
		if again := conflict(ids[1], "电话"); again <= c {
			t.Errorf("the conflict recorded after %d was deleted took id %d, want a new one", c, again)
		}
	})
}
