package org_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// departmentCreator returns a function that creates a department of
// region 440605 with a name and a short name, in a transaction of its own,
// as admin at t0; the departments' USCCs are demo.USCC's from from+1 on.
func departmentCreator(db *sqldb.DB, from int) func(name, short string) (org.Department, error) {
	n := from
	return func(name, short string) (org.Department, error) {
		n++
		d := org.Department{Name: name, ShortName: short, RegionCode: "440605", USCC: demo.USCC("440605", n)}
		err := db.Tx(context.Background(), func(tx *sqldb.Tx) error {
			return org.CreateDepartment(context.Background(), tx, admin, &d, t0)
		})
		return d, err
	}
}

// TestDepartmentNameLookalike: beside 佛山市南海区测试局1, a department
// named with a full-width digit, an inner space, half- or full-width
// brackets (佛山市南海区测试局１, 佛山市 南海区测试局1, 佛山市南海区(测试局1),
// 佛山市南海区（测试局1）) is refused, on creation and on rename, 409
// department_name_confusable on name, naming the department it looks like:
// the catalog import compares 提供部门 without white space and
// punctuation, and would find both. A short name that folds to another's
// name or short name is refused alike. A search for 测试局1 finds the
// department named with the full-width digit, stored before the check. On
// both engines.
func TestDepartmentNameLookalike(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		seed(t, db)
		create := departmentCreator(db, 100)
		first, err := create("佛山市南海区测试局1", "南海测试1")
		if err != nil {
			t.Fatal(err)
		}
		other, err := create("佛山市南海区其他局", "")
		if err != nil {
			t.Fatal(err)
		}
		wantConfusable := func(what string, err error, field string) {
			t.Helper()
			if e := errs.As(err); e == nil || e.Code != "department_name_confusable" || e.Field != field {
				t.Errorf("%s: %v, want department_name_confusable on %s", what, err, field)
			}
		}
		for _, name := range []string{"佛山市南海区测试局１", "佛山市 南海区测试局1", "佛山市南海区(测试局1)", "佛山市南海区（测试局1）"} {
			_, err := create(name, "")
			wantConfusable("create "+name, err, "name")
			err = db.Tx(ctx, func(tx *sqldb.Tx) error {
				_, err := org.UpdateDepartment(ctx, tx, admin, other.ID, org.DepartmentChange{Name: name, USCC: other.USCC}, t0)
				return err
			})
			wantConfusable("rename to "+name, err, "name")
		}
		_, err = create("佛山市南海区另一局", "南海测试 1")
		wantConfusable("short name 南海测试 1", err, "short_name")
		_, err = create("佛山市南海区第三局", "佛山市南海区（测试局1）")
		wantConfusable("short name folding to a name", err, "short_name")
		if got, err := org.DepartmentByID(ctx, db.Read(), other.ID); err != nil || got.Name != "佛山市南海区其他局" {
			t.Errorf("after refused renames: %q %v", got.Name, err)
		}

		// One stored before the check, found by either width.
		if _, err := db.Write().ExecContext(ctx, `UPDATE departments SET name = '佛山市南海区测试局２' WHERE id = $1`, other.ID); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"测试局2", "测试局２", "测试局1"} {
			ds, _, err := org.FindDepartments(ctx, db.Read(), org.DepartmentFilter{Q: q})
			if err != nil {
				t.Fatal(err)
			}
			want := other.ID
			if q == "测试局1" {
				want = first.ID
			}
			if len(ds) != 1 || ds[0].ID != want {
				t.Errorf("search %s: %+v, want only department %d", q, ds, want)
			}
		}
	})
}
