package records_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// fillDiscrepancies inserts n discrepancies between 10 departments, as
// the few that cross-check the same items hold most of them: the i-th (id
// i) of departments i%10+1 and 3i%10+1, so departments 1 and 6 on both
// sides of every fifth; a third of them resolved.
func fillDiscrepancies(t *testing.T, db *sqldb.DB, n int) {
	t.Helper()
	at := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	sqldbtest.Exec(t, db, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1)
		INSERT INTO record_discrepancies (id, subject_kind, item_key, subject_id, entry_a, entry_b, department_a, department_b,
			item_a, item_b, value_a, value_b, status, found_by, found_at, due_at)
		SELECT i, 'person', '姓名', 'S' || CAST(i AS TEXT), i % 500 + 1, i % 500 + 501, i % 10 + 1, i * 3 % 10 + 1,
			'姓名', '姓名', '甲', '乙', CASE WHEN i % 3 = 0 THEN 'resolved' ELSE 'open' END, 'sweep', $2, $3 FROM n`,
		n, at, at.Add(7*24*time.Hour))
	if err := db.Analyze(t.Context(), "record_discrepancies"); err != nil {
		t.Fatal(err)
	}
}

// filledDiscrepancies is the ids of fillDiscrepancies' n that f selects
// (its department and status), in order.
func filledDiscrepancies(n int, f records.DiscrepancyFilter) []int64 {
	var out []int64
	for i := 1; i <= n; i++ {
		status := "open"
		if i%3 == 0 {
			status = "resolved"
		}
		if (f.DepartmentID == 0 || int64(i%10+1) == f.DepartmentID || int64(i*3%10+1) == f.DepartmentID) &&
			(f.Status == "" || f.Status == status) && int64(i) > f.AfterID {
			out = append(out, int64(i))
		}
	}
	return out
}

// TestDepartmentDiscrepanciesPlan: a department's discrepancy list (GET
// /api/v1/records/discrepancies as a department) reads the rows of each
// side through an index by department in id order, a page of each, on
// both engines, with the planners' statistics of 20,000 discrepancies:
// on SQLite every step that reads record_discrepancies searches it by
// department_a or department_b, and none of them sorts what it read (a
// sort of the two pages read is beside their co-routines' scans); on
// PostgreSQL, for a department of no discrepancy, no Seq Scan, no walk
// of its primary key (for one of a tenth of them, a walk of the primary
// key finds a page at once, and PostgreSQL takes it). Before migration
// 0049 and the list's two walks, with (department_a = ? OR department_b
// = ?), SQLite walked every discrepancy after the cursor by id (SEARCH …
// USING INTEGER PRIMARY KEY (rowid>?); 120–208 ms a page at 200,000,
// growing with the table) or read every one of the department's and
// sorted them (MULTI-INDEX OR), and PostgreSQL walked the primary key. The
// page is the department's discrepancies in id order.
func TestDepartmentDiscrepanciesPlan(t *testing.T) {
	const n = 20000
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		fillDiscrepancies(t, db, n)
		for _, f := range []records.DiscrepancyFilter{
			{DepartmentID: 3, Limit: 100},
			{DepartmentID: 6, Limit: 100}, // on both sides of some
			{DepartmentID: 3, Limit: 100, AfterID: n / 2},
			{DepartmentID: 3, Limit: 100, Status: "open"},
			{DepartmentID: 1000, Limit: 100}, // none
		} {
			query, args := records.DiscrepanciesQuery(f)
			if db.Dialect == sqldb.SQLite {
				sqliteByDepartment(t, db, query, args...)
			} else if f.DepartmentID == 1000 {
				plan := sqldbtest.Plan(t, db.Dialect, db.Read(), query, args...)
				for _, step := range plan {
					if strings.Contains(step, "Seq Scan on record_discrepancies") || strings.Contains(step, "record_discrepancies_pkey") {
						t.Errorf("%+v: plan walks record_discrepancies (%s):\n%s\n\t%s", f, step, query, strings.Join(plan, "\n\t"))
					}
				}
			}
			got, _, err := records.Discrepancies(t.Context(), db.Read(), f, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, d := range got {
				ids = append(ids, d.ID)
			}
			want := filledDiscrepancies(n, f)
			want = want[:min(len(want), f.Limit)]
			if !slices.Equal(ids, want) {
				t.Errorf("%+v: got %v, want %v", f, ids, want)
			}
		}
	})
}

// TestDepartmentDiscrepancyPages: a department's discrepancies read page
// by page, each page after the cursor the one before gave, are its
// discrepancies in id order, each once: one it is on both sides of too
// (read from department_a's rows alone), and none skipped where a page
// ends in one side's rows while the other's continue; with and without a
// status, for departments on both sides of some and on one side only.
func TestDepartmentDiscrepancyPages(t *testing.T) {
	const n = 600
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		fillDiscrepancies(t, db, n)
		for _, f := range []records.DiscrepancyFilter{
			{DepartmentID: 6, Limit: 3}, // both sides of 5, 15 …
			{DepartmentID: 1, Limit: 4}, // both sides of 10, 20 …
			{DepartmentID: 3, Limit: 5},
			{DepartmentID: 6, Limit: 2, Status: "open"},
			{DepartmentID: 1, Limit: 7, Status: "resolved"},
		} {
			var ids []int64
			for page := 0; ; page++ {
				got, next, err := records.Discrepancies(t.Context(), db.Read(), f, time.Now())
				if err != nil {
					t.Fatal(err)
				}
				if len(got) > f.Limit {
					t.Fatalf("%+v: page of %d", f, len(got))
				}
				for _, d := range got {
					ids = append(ids, d.ID)
				}
				if next == 0 || page > n {
					break
				}
				f.AfterID = next
			}
			f.AfterID = 0
			if want := filledDiscrepancies(n, f); !slices.Equal(ids, want) {
				t.Errorf("%+v: pages read %v, want %v", f, ids, want)
			}
		}
	})
}

// sqliteByDepartment fails t unless SQLite's plan of query reads
// record_discrepancies by department alone, each read in the order of the
// page: every step reading it searches department_a=? or department_b=?,
// and no USE TEMP B-TREE FOR ORDER BY is beside (of the same parent as)
// a step reading it or a MULTI-INDEX OR of such steps, which sorts every
// row read.
func sqliteByDepartment(t *testing.T, db *sqldb.DB, query string, args ...any) {
	t.Helper()
	steps := sqldbtest.QueryRows(t, db.Read(), "EXPLAIN QUERY PLAN "+query, args...)
	details := make([]string, len(steps))
	reads := map[string]bool{} // the parents of reads of record_discrepancies
	for i, step := range steps {
		details[i] = step[3]
		if strings.Contains(step[3], "record_discrepancies") || step[3] == "MULTI-INDEX OR" {
			reads[step[1]] = true
		}
	}
	plan := query + "\n\t" + strings.Join(details, "\n\t")
	for _, step := range steps {
		if strings.Contains(step[3], "record_discrepancies") && !strings.Contains(step[3], "department_a=?") && !strings.Contains(step[3], "department_b=?") {
			t.Errorf("plan reads record_discrepancies otherwise than by department (%s):\n%s", step[3], plan)
		}
		if step[3] == "USE TEMP B-TREE FOR ORDER BY" && reads[step[1]] {
			t.Errorf("plan sorts the rows it reads of record_discrepancies:\n%s", plan)
		}
	}
}
