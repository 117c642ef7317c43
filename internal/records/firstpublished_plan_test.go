package records_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// fillPublished adds n published entries of depts departments, in one
// statement each table, shaped as a province's catalog: a fifth revised
// once (version 1 superseded, 2 in force), a seventh with a draft
// revision, every thousandth with counters (record_entry_stats) of a receipt,
// and a mix of update frequencies. It returns the departments' ids.
func fillPublished(tb testing.TB, db *sqldb.DB, n, depts int) []int64 {
	tb.Helper()
	ids := make([]int64, depts)
	for i := range ids {
		ids[i] = recordstest.Department(tb, db, fmt.Sprint("填充部门", i), 900+i)
	}
	ctx := tb.Context()
	at := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	series := fmt.Sprintf(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d) `, n)
	stmts := []string{
		`INSERT INTO catalog_entries (id, code, department_id, status, version, published_version, name, name_key, abstract, domain,
			share_type, share_methods, update_frequency, security_level, open_attribute, subject_kind, data, created_at, updated_at, published_at)
		` + series + `SELECT i, 'F' || i, (SELECT min(id) FROM departments WHERE name LIKE '填充部门%') + i % ` + fmt.Sprint(depts) + `,
			'published', CASE WHEN i % 5 = 0 THEN 2 ELSE 1 END, CASE WHEN i % 5 = 0 THEN 2 ELSE 1 END, 'E' || i, 'E' || i, '', '99',
			'unconditional', 1, CASE i % 4 WHEN 0 THEN 'daily' WHEN 1 THEN 'monthly' WHEN 2 THEN 'yearly' ELSE 'irregular' END, 1, 'closed',
			'person', '{}', $1, $1, $1 FROM n`,
		`INSERT INTO catalog_entry_versions (entry_id, version, state, data, created_at, created_by, updated_at, reviewed_at)
		` + series + `SELECT i, 1, CASE WHEN i % 5 = 0 THEN 'superseded' ELSE 'published' END, '{}', $1, 'x', $1, $1 FROM n`,
		`INSERT INTO catalog_entry_versions (entry_id, version, state, data, created_at, created_by, updated_at, reviewed_at)
		` + series + `SELECT i, 2, 'published', '{}', $1, 'x', $1, $1 FROM n WHERE i % 5 = 0`,
		`INSERT INTO catalog_entry_versions (entry_id, version, state, data, created_at, created_by, updated_at)
		` + series + `SELECT i, 3, 'draft', '{}', $1, 'x', $1 FROM n WHERE i % 7 = 0`,
		`INSERT INTO record_entry_stats (entry_id, department_id, ops, live_records, item_count, last_received_at)
		SELECT id, department_id, 10, 10, 1, $1 FROM catalog_entries WHERE id % 1000 = 0`,
	}
	if db.Dialect == sqldb.Postgres {
		// The facet counts' trigger, a row at a time, grows with the
		// square of one statement's rows; these queries read no counts.
		stmts = append(append([]string{`ALTER TABLE catalog_entries DISABLE TRIGGER catalog_facet_count`}, stmts...),
			`ALTER TABLE catalog_entries ENABLE TRIGGER catalog_facet_count`)
	}
	for _, s := range stmts {
		var args []any
		if strings.Contains(s, "$1") {
			args = append(args, at)
		}
		if _, err := db.Write().ExecContext(ctx, s, args...); err != nil {
			tb.Fatalf("fill: %v\n%s", err, s)
		}
	}
	if err := db.Analyze(ctx, "catalog_entries", "catalog_entry_versions", "record_entry_stats"); err != nil {
		tb.Fatal(err)
	}
	return ids
}

// TestStaleScanPlanBounded: a chunk of the stale scan (StaleByDepartment,
// the console's /records page, reads a catalog of 100,000 entries in a
// hundred) reads the versions of its own entries, never those of the
// entries before it. On PostgreSQL the scan of the versions it joins (fv)
// has an index condition on entry_id in the merge join the planner chose
// on a province's catalog (forced here, with nested loops, hash joins and
// sequential scans turned off, as a small catalog plans otherwise), which
// without the bound (firstPublishedAfter) walked
// catalog_entry_versions_pkey from the first entry for each chunk. On
// SQLite fv is looked up by each entry's id. StaleByDepartment finds the
// stale entries, each once.
func TestStaleScanPlanBounded(t *testing.T) {
	const n = 20000
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ids := fillPublished(t, db, n, 40)
		query, args := records.StaleScanSQL(db.Read(), ids, n*7/10)
		var steps []string
		err := db.Snapshot(t.Context(), func(q sqldb.Querier) error {
			if db.Dialect == sqldb.Postgres {
				for _, off := range []string{"enable_nestloop", "enable_hashjoin", "enable_seqscan"} {
					if _, err := q.ExecContext(t.Context(), "SET LOCAL "+off+" = off"); err != nil {
						return err
					}
				}
			}
			steps = sqldbtest.Plan(t, db.Dialect, q, query, args...)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		plan := strings.Join(steps, "\n\t")
		read := false
		for i, step := range steps {
			if db.Dialect == sqldb.SQLite {
				if strings.Contains(step, " fv ") {
					read = true
					if !strings.HasPrefix(step, "SEARCH fv USING INDEX") || !strings.Contains(step, "(entry_id=?") {
						t.Errorf("plan reads the versions other than by entry (%s):\n\t%s", step, plan)
					}
				}
				continue
			}
			if !strings.Contains(step, "on catalog_entry_versions fv") {
				continue
			}
			read = true
			if i+1 == len(steps) || !strings.Contains(steps[i+1], "Index Cond: ") || !strings.Contains(steps[i+1], "entry_id ") {
				t.Errorf("plan reads the versions unbounded (%s):\n\t%s", step, plan)
			}
		}
		if !read {
			t.Errorf("plan does not read the versions fv:\n\t%s", plan)
		}
		// The daily and monthly entries (half) are stale, each once.
		stale, err := records.StaleByDepartment(t.Context(), db.Read(), nil, ids, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		sum := 0
		for _, k := range stale {
			sum += k
		}
		if sum != n/2 {
			t.Errorf("StaleByDepartment: %d stale entries, want %d", sum, n/2)
		}
	})
}

// TestQualityPlanNoSubplan: the quality of every department
// (DepartmentQuality, GET /api/v1/records/quality?by=department) reads its
// entries' first published versions without a subplan per entry: on
// PostgreSQL no SubPlan reads catalog_entry_versions, in the query of the
// entries with counters nor in that of those without (publishedEntries).
// firstPublished joined the version equal to a correlated min(version),
// which PostgreSQL evaluated per entry on both sides of a hash join (loops
// = 200,000 on 100,000 entries). On SQLite the versions are looked up by
// each entry's id, never scanned. DepartmentQuality counts each published
// entry once, and the stale ones.
func TestQualityPlanNoSubplan(t *testing.T) {
	const n = 20000
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		fillPublished(t, db, n, 40)
		qs, err := records.DepartmentQuality(t.Context(), db.Read(), nil, 0, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		published, stale := 0, 0
		for _, q := range qs {
			published += q.PublishedEntries
			stale += q.StaleEntries
		}
		if published != n || stale != n/2 {
			t.Errorf("DepartmentQuality: %d published entries, %d stale, want %d, %d", published, stale, n, n/2)
		}
		for name, sqlOf := range map[string]func(sqldb.Querier) (string, []any){
			"with counters": records.AllQualitySQL, "without counters": records.PublishedSQL,
		} {
			query, args := sqlOf(db.Read())
			steps := sqldbtest.Plan(t, db.Dialect, db.Read(), query, args...)
			plan := strings.Join(steps, "\n\t")
			for i, step := range steps {
				if db.Dialect == sqldb.SQLite {
					if f := strings.Fields(step); f[0] == "SCAN" && len(f) > 1 && (f[1] == "fv" || f[1] == "v" || f[1] == "catalog_entry_versions") {
						t.Errorf("%s: plan scans the versions (%s):\n\t%s", name, step, plan)
					}
					continue
				}
				if !strings.Contains(step, "SubPlan") {
					continue
				}
				indent := len(step) - len(strings.TrimLeft(step, " "))
				for _, sub := range steps[i+1:] {
					if len(sub)-len(strings.TrimLeft(sub, " ")) <= indent {
						break
					}
					if strings.Contains(sub, "catalog_entry_versions") {
						t.Errorf("%s: a subplan reads the versions (%s):\n\t%s", name, strings.TrimSpace(sub), plan)
					}
				}
			}
		}
	})
}

// BenchmarkOverview reads, on a catalog of 100,000 published entries of
// 40 departments (fillPublished), what the console's /records page and
// GET /api/v1/records/quality?by=department read: the stale entries of
// every department (StaleByDepartment, a hundred chunks of staleScan) and
// the quality of every department (DepartmentQuality), on each engine.
func BenchmarkOverview(b *testing.B) {
	const n, depts = 100000, 40
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for _, engine := range []struct {
		name string
		open func(testing.TB) *sqldb.DB
	}{{"sqlite", sqldbtest.SQLite}, {"postgres", sqldbtest.Postgres}} {
		b.Run(engine.name, func(b *testing.B) {
			db := engine.open(b)
			ids := fillPublished(b, db, n, depts)
			b.Run("stale", func(b *testing.B) {
				for b.Loop() {
					if _, err := records.StaleByDepartment(b.Context(), db.Read(), nil, ids, now); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("quality", func(b *testing.B) {
				for b.Loop() {
					if _, err := records.DepartmentQuality(b.Context(), db.Read(), nil, 0, now); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
