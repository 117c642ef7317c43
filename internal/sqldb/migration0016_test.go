package sqldb_test

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// atMigration returns a database of each engine migrated up to and
// including the migration through, as the subtests "sqlite" and "postgres".
func atMigration(t *testing.T, through string, fn func(t *testing.T, db *sqldb.DB)) {
	t.Helper()
	migrate := func(t *testing.T, db *sqldb.DB) {
		t.Helper()
		applied, err := db.MigrateThrough(t.Context(), through)
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) == 0 || applied[len(applied)-1] != through {
			t.Fatalf("migrated through %q, want %s", applied, through)
		}
		fn(t, db)
	}
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "old.db")
		db, err := sqldb.Open(t.Context(), path, sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		migrate(t, db)
	})
	t.Run("postgres", func(t *testing.T) {
		db := sqldbtest.Postgres(t)
		if _, err := db.Write().ExecContext(t.Context(), `DROP SCHEMA public CASCADE; CREATE SCHEMA public`); err != nil {
			t.Fatal(err)
		}
		migrate(t, db)
	})
}

// departmentOne adds department 1 (部门, in region 440000 广东省), created
// at at, for a migration test's catalog entries to belong to.
func departmentOne(t *testing.T, db *sqldb.DB, at time.Time) {
	t.Helper()
	if _, err := db.Write().ExecContext(t.Context(), `INSERT INTO regions (code, name, level) VALUES ('440000', '广东省', 'province')`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Write().ExecContext(t.Context(), `INSERT INTO departments (id, name, uscc, region_code, created_at)
		VALUES (1, '部门', '114400000000000010', '440000', $1)`, at); err != nil {
		t.Fatal(err)
	}
}

// discrepancySchema lists the columns of record_discrepancies (name, type,
// nullability, default) and its indexes (name, definition).
func discrepancySchema(t *testing.T, db *sqldb.DB) (cols [][]string, indexes map[string]string) {
	t.Helper()
	cq := `SELECT column_name, data_type, is_nullable, COALESCE(column_default, '') FROM information_schema.columns
		WHERE table_name = 'record_discrepancies' AND table_schema = current_schema() ORDER BY ordinal_position`
	iq := `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'record_discrepancies' AND schemaname = current_schema()`
	if db.Dialect == sqldb.SQLite {
		cq = `SELECT name, type, "notnull", COALESCE(dflt_value, ''), pk FROM pragma_table_xinfo('record_discrepancies') ORDER BY cid`
		iq = `SELECT name, COALESCE(sql, '') FROM sqlite_master WHERE type = 'index' AND tbl_name = 'record_discrepancies'`
	}
	cols = sqldbtest.QueryRows(t, db.Read(), cq)
	indexes = map[string]string{}
	for _, r := range sqldbtest.QueryRows(t, db.Read(), iq) {
		indexes[r[0]] = strings.Join(strings.Fields(r[1]), " ")
	}
	return cols, indexes
}

// TestMigration0016AwaitsCorrection: 0016 turns the latest discrepancy of
// each fact (entry pair, item, subject), when a resolution named its
// authority, into awaiting_correction, and changes nothing else: not an
// earlier resolution of the fact, not one without an authority, not a fact
// whose latest discrepancy is open or closed without an authority, no
// other column, no row count. At most one discrepancy of a fact is then
// open or awaiting. The table keeps its columns and indexes (SQLite
// rebuilds it); only the partial unique index covers the awaiting ones too.
func TestMigration0016AwaitsCorrection(t *testing.T) {
	atMigration(t, "0015_record_unchanged_keys_kept_at.sql", func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		found := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
		type fact struct {
			a, b    int64
			item    string
			subject string
		}
		f1 := fact{1, 2, "姓名", "S1"}
		f2 := fact{1, 2, "姓名", "S2"}   // another subject
		f3 := fact{1, 2, "户籍地址", "S1"} // another item
		f4 := fact{1, 3, "姓名", "S1"}   // another pair
		f5 := fact{1, 2, "姓名", "S3"}
		f6 := fact{2, 3, "姓名", "S1"}
		insert := func(q sqldb.Querier, id int64, f fact, status string, authority any) error {
			at := found.Add(time.Duration(id) * time.Hour)
			var resolvedAt any
			resolution, by := "", ""
			if status == "resolved" {
				resolvedAt, resolution, by = at.Add(time.Minute), "以权威数源为准", "user:7"
				if authority == nil {
					by = "system"
				}
			}
			_, err := q.ExecContext(ctx, `INSERT INTO record_discrepancies (id, subject_kind, item_key, subject_id,
				entry_a, entry_b, department_a, department_b, item_a, item_b, value_a, value_b, status, found_by,
				found_at, due_at, feedback_a, feedback_a_at, authoritative_entry_id, resolution, resolved_by, resolved_at)
				VALUES ($1, 'person', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'sweep', $13, $14, $15, $16, $17, $18, $19, $20)`,
				id, f.item, f.subject, f.a, f.b, 10*f.a, 10*f.b, f.item+"A", f.item+"B", "a"+f.subject, "b"+f.subject,
				status, at, at.Add(7*24*time.Hour), "反馈"+f.subject, at.Add(time.Second), authority, resolution, by, resolvedAt)
			return err
		}
		for _, r := range []struct {
			id        int64
			f         fact
			status    string
			authority any
		}{
			{1, f1, "resolved", 1},
			{2, f2, "resolved", 1},
			{3, f3, "resolved", 2},
			{4, f1, "resolved", 2}, // f1's latest: awaits the correction
			{5, f4, "resolved", 3}, // f4's only one: awaits
			{6, f2, "open", nil},   // f2's latest is open
			{7, f3, "resolved", nil},
			{8, f5, "open", nil},
			{9, f6, "resolved", nil},
		} {
			if err := insert(db.Write(), r.id, r.f, r.status, r.authority); err != nil {
				t.Fatalf("legacy discrepancy %d: %v", r.id, err)
			}
		}
		const all = `SELECT * FROM record_discrepancies ORDER BY id`
		before := sqldbtest.QueryRows(t, db.Read(), all)
		colsBefore, indexesBefore := discrepancySchema(t, db)

		applied, err := db.MigrateThrough(ctx, "0016_record_discrepancies_awaiting_correction.sql")
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(applied, []string{"0016_record_discrepancies_awaiting_correction.sql"}) {
			t.Fatalf("applied %q, want 0016", applied)
		}

		// The rows: only 4 and 5 changed, and only their status.
		want := slices.Clone(before)
		status := slices.IndexFunc(colsBefore, func(c []string) bool { return c[0] == "status" })
		for i, r := range want {
			if r[0] == "4" || r[0] == "5" {
				want[i] = slices.Clone(r)
				want[i][status] = "awaiting_correction"
			}
		}
		if diff := cmp.Diff(want, sqldbtest.QueryRows(t, db.Read(), all)); diff != "" {
			t.Errorf("discrepancies after 0016 (-want +got):\n%s", diff)
		}

		// The schema: the same columns and indexes; the unique index of
		// the discrepancies not closed covers the awaiting ones.
		colsAfter, indexesAfter := discrepancySchema(t, db)
		if diff := cmp.Diff(colsBefore, colsAfter); diff != "" {
			t.Errorf("columns after 0016 (-before +after):\n%s", diff)
		}
		const open = "record_discrepancies_open"
		for _, name := range []string{open, "record_discrepancies_subject", "record_discrepancies_dept_a", "record_discrepancies_dept_b"} {
			if indexesBefore[name] == "" {
				t.Errorf("no index %s before 0016: %q", name, indexesBefore)
			}
		}
		if def := indexesAfter[open]; !strings.Contains(def, "UNIQUE") || !strings.Contains(def, "awaiting_correction") {
			t.Errorf("%s after 0016: %s, want unique, covering awaiting_correction", open, def)
		}
		delete(indexesBefore, open)
		delete(indexesAfter, open)
		if diff := cmp.Diff(indexesBefore, indexesAfter); diff != "" {
			t.Errorf("other indexes after 0016 (-before +after):\n%s", diff)
		}

		// The unique index holds: no second discrepancy of a fact that
		// has one open or awaiting; a fact whose latest is closed takes a
		// new one. The status check still refuses an unknown status.
		for _, r := range []struct {
			f      fact
			status string
			ok     bool
		}{
			{f1, "open", false}, {f1, "awaiting_correction", false}, {f2, "open", false}, {f4, "open", false},
			{f5, "awaiting_correction", false}, {f3, "open", true}, {f6, "awaiting_correction", true}, {f5, "closed", false},
		} {
			// Each in a transaction rolled back, so that a refusal does not
			// abort the next statement on PostgreSQL and the rows stay.
			err := db.Tx(ctx, func(tx *sqldb.Tx) error {
				if err := insert(tx, 100, r.f, r.status, 1); err != nil {
					return err
				}
				return errRollback
			})
			if got := err == errRollback; got != r.ok {
				t.Errorf("a %s discrepancy of %+v: %v, want accepted %v", r.status, r.f, err, r.ok)
			}
		}
	})
}

var errRollback = errors.New("rolled back")
