package sqldb_test

import (
	"slices"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestMigration0056DepartmentSearchForms: a database at 0055 whose
// departments are named with white space of several kinds, full-width
// forms (a full-width apostrophe among them), letters in either case and a
// radical migrates: each department's name and short name search forms
// are its name and short name without white space, with the full-width
// forms as ASCII and ASCII letters in lower case, Ä and ß as they are, the
// radical kept; org.RekeyDepartments then reads the radical as its
// ideograph, and a search the keys cannot take finds the departments by
// the forms. On both engines.
func TestMigration0056DepartmentSearchForms(t *testing.T) {
	atMigration(t, "0055_catalog_review_item_keys.sql", func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		at := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
		departmentOne(t, db, at)
		for i, d := range [][2]string{{"佛山市 南海区\u3000市场监督管理局（筹）", "区\u00a0ＭＳＡ"}, {"政务\u2ed4户（筹）", ""},
			{"Straße\u2009局", "ÄRZTE"}, {"Ｃ＋＋研发中心", ""}, {"Ｏ＇Neil\u205f联络处", ""}} {
			sqldbtest.Exec(t, db, `INSERT INTO departments (id, name, short_name, uscc, region_code, created_at)
				VALUES ($1, $2, $3, $4, '440000', $5)`, i+2, d[0], d[1], "11440000000000002"+string(rune('0'+i)), at)
		}
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		forms := func() []string {
			return sqldbtest.Column(t, db, `SELECT name_search || '|' || short_name_search FROM departments ORDER BY id`)
		}
		want := []string{"部门|", "佛山市南海区市场监督管理局(筹)|区msa", "政务\u2ed4户(筹)|", "straße局|Ärzte", "c++研发中心|", "o'neil联络处|"}
		if got := forms(); !slices.Equal(got, want) {
			t.Errorf("search forms after 0056: %q, want %q", got, want)
		}
		if _, err := org.RekeyDepartments(ctx, db); err != nil {
			t.Fatal(err)
		}
		want[2] = "政务门户(筹)|"
		if got := forms(); !slices.Equal(got, want) {
			t.Errorf("search forms after the rekey: %q, want %q", got, want)
		}
		for q, id := range map[string]int64{"市场监督管理局(筹)": 2, "政务⻔户（筹）": 3, "ÄRZTE": 4, "c++": 5, "o'neil 联络处": 6} {
			ds, _, err := org.FindDepartments(ctx, db.Read(), org.DepartmentFilter{Q: q})
			if err != nil {
				t.Fatal(err)
			}
			if len(ds) != 1 || ds[0].ID != id {
				t.Errorf("search %q found %+v, want department %d alone", q, ds, id)
			}
		}
	})
}
