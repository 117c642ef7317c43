package catalog_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDepartmentNamePagesPlan: on both engines a page after the first of
// the list by name of one department's entries of several statuses (a
// department's export, four statuses a page of 100; the API's list with
// department_id, sort=name and statuses including published) reads that
// department's entries from catalog_entries_department and sorts them, as
// its first page does, not catalog_entries_name: with the cursor a row
// value on name, a bound of that index, SQLite walked every name past the
// cursor for a department holding 1% of the catalog (afd3b76, migration
// 0048). The pages still give the department's entries once, in the order
// of name, id.
func TestDepartmentNamePagesPlan(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := generated(t, db, 9, 10)
		ctx := t.Context()
		if _, err := db.Write().ExecContext(ctx, `UPDATE catalog_entries SET department_id = $1 WHERE department_id = $2 AND id % 100 >= 3`,
			w.rsjID, w.gajID); err != nil {
			t.Fatal(err)
		}
		if err := db.Analyze(ctx); err != nil {
			t.Fatal(err)
		}
		want, err := sqldb.IDs(ctx, db.Read(), `SELECT id FROM catalog_entries WHERE department_id = $1 ORDER BY name, id`, w.gajID)
		if err != nil {
			t.Fatal(err)
		}
		if len(want) < 20 || len(want) > 60 {
			t.Fatalf("the department holds %d entries of 3000, want about 1%%", len(want))
		}
		query := catalog.Query{DepartmentID: w.gajID, Statuses: []catalog.Status{catalog.Draft, catalog.Submitted, catalog.Rejected, catalog.Published},
			Sort: catalog.ByName, Limit: 10}
		plan := secondPagePlan(t, db, w, query)
		if step := walksCatalog(db, plan, false); step != "" {
			t.Errorf("the page reads the whole catalog (%s):\n%s", step, plan)
		}
		if nameIndex.MatchString(plan) || !strings.Contains(plan, "catalog_entries_department") {
			t.Errorf("the page does not read catalog_entries_department alone:\n%s", plan)
		}
		for _, limit := range []int{3, 10} {
			query.Limit = limit
			if got := namePages(t, db, w, query, len(want)); !slices.Equal(got, want) {
				t.Errorf("pages of %d: %d entries, want %d in the order of name, id:\ngot  %v\nwant %v", limit, len(got), len(want), got, want)
			}
		}
	})
}
