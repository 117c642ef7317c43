package catalog_test

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// departmentPlanEntries is the size of TestDepartmentNamePagesPlan's
// catalog, about 10 entries of the small department and 980 of the dominant:
// both engines plan the pages so at that size, and fail to without the
// index or with the old query's cursor, which bounded no index.
const departmentPlanEntries = 1000

// TestDepartmentNamePagesPlan: on both engines a page after the first of
// the list by name of one department's entries of several statuses (a
// department's export, four statuses a page of 100; the API's list with
// department_id, sort=name and statuses including published) reads
// catalog_entries_department_name (migration 0052) from the department and
// the page's cursor on, the cursor a bound of the index after the
// department (PostgreSQL's Index Cond on department_id and ROW(name, id),
// SQLite's SEARCH (department_id=? AND name>?)), with no sort and no scan
// of the catalog: for a department holding 1% of the catalog and for one
// holding nearly all of it. Before 0052 each page read the department's
// entries from catalog_entries_department and sorted them (SQLite) or
// walked catalog_entries_name from its first name (PostgreSQL), so that a
// department holding most of the catalog was read whole on every page
// (SQLite 674 ms a page of 30,000 entries); and before afd3b76 SQLite
// walked every name past the cursor in catalog_entries_name for a
// department holding 1%. The pages still give the department's entries
// once, in the order of name, id.
func TestDepartmentNamePagesPlan(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		ctx := t.Context()
		// Of every 100 entries, 98 the dominant department's, 1 each
		// of the others'.
		depts := []int64{w.gajID, w.scjID}
		for range 98 {
			depts = append(depts, w.rsjID)
		}
		if err := catalog.Generate(ctx, db, depts, departmentPlanEntries, rand.New(rand.NewPCG(9, 10)), nil, nil); err != nil {
			t.Fatal(err)
		}
		bound := `SEARCH e USING INDEX catalog_entries_department_name (department_id=? AND name>?)`
		if db.Dialect == sqldb.Postgres {
			bound = `Index Cond: ((department_id = `
		}
		for _, c := range []struct {
			name       string
			department int64
			least      int
			most       int
			limits     []int
		}{
			{"1%", w.gajID, departmentPlanEntries / 200, departmentPlanEntries / 50, []int{3}},
			{"98%", w.rsjID, departmentPlanEntries * 95 / 100, departmentPlanEntries, []int{100}},
		} {
			want, err := sqldb.IDs(ctx, db.Read(), `SELECT id FROM catalog_entries WHERE department_id = $1 ORDER BY name, id`, c.department)
			if err != nil {
				t.Fatal(err)
			}
			if len(want) < c.least || len(want) > c.most {
				t.Fatalf("the department holds %d entries of %d, want about %s", len(want), departmentPlanEntries, c.name)
			}
			query := catalog.Query{DepartmentID: c.department, Statuses: []catalog.Status{catalog.Draft, catalog.Submitted, catalog.Rejected, catalog.Published},
				Sort: catalog.ByName, Limit: 10}
			plan := secondPagePlan(t, db, w, query)
			if step := walksCatalog(db, plan, true); step != "" {
				t.Errorf("%s: the page reads the whole catalog or sorts the department (%s):\n%s", c.name, step, plan)
			}
			if !strings.Contains(plan, "catalog_entries_department_name") || !strings.Contains(plan, bound) ||
				db.Dialect == sqldb.Postgres && !strings.Contains(plan, `AND (ROW(name, id) > ROW(`) {
				t.Errorf("%s: the page does not read catalog_entries_department_name from the department and its cursor (%s):\n%s", c.name, bound, plan)
			}
			for _, limit := range c.limits {
				query.Limit = limit
				if got := namePages(t, db, w, query, len(want)); !slices.Equal(got, want) {
					t.Errorf("%s, pages of %d: %d entries, want %d in the order of name, id:\ngot  %v\nwant %v", c.name, limit, len(got), len(want), got, want)
				}
			}
		}
	})
}
