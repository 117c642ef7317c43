package org_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/text"
)

// TestDepartmentUnkeyedCompared: a department a server of the previous
// release creates while a newer one serves the migrated database (a
// rolling upgrade) has the empty keys of migration 0045's default until
// the next RekeyDepartments. Before it, the check of new names still
// refuses a name or short name looking like its name or short name, each
// direction, naming it; DepartmentsNamed finds it by a name typed alike;
// DepartmentsByKey, which the catalog import matches 数源部门 by, finds
// it by its keys, and not another department of empty keys. Before, the
// stored keys were trusted: the look-alikes were accepted and it was not
// found. On both engines.
func TestDepartmentUnkeyedCompared(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		op, _ := seed(t, db)
		insert := func(name, short string, n int) int64 {
			t.Helper()
			var id int64
			if err := db.Write().QueryRowContext(ctx, `INSERT INTO departments (name, short_name, uscc, region_code, is_operator, disabled, created_at)
				SELECT $1, $2, $3, '440605', false, false, created_at FROM departments WHERE id = $4 RETURNING id`,
				name, short, demo.USCC("440605", n), op.ID).Scan(&id); err != nil {
				t.Fatal(err)
			}
			return id
		}
		mz := insert("佛山市南海区（民政局）", "区（民政局）", 1)
		insert("佛山市南海区档案馆", "区档案馆", 2)
		var key, skey string
		if err := db.Read().QueryRowContext(ctx, `SELECT name_key, short_name_key FROM departments WHERE id = $1`, mz).
			Scan(&key, &skey); err != nil || key != "" || skey != "" {
			t.Fatalf("keys of a department stored as the previous release stores it: %q, %q, %v; want both empty", key, skey, err)
		}

		const other = "佛山市南海区（民政局）"
		for i, c := range []lookalike{
			{"a name looking like its name", "佛山市南海区(民政局)", "", "name", other},
			{"a name looking like its short name", "区 民政局", "", "name", other},
			{"a short name looking like its name", "南海民政", "佛山市南海区 民政局", "short_name", other},
			{"a short name looking like its short name", "南海民政", "区(民政局)", "short_name", other},
		} {
			d := org.Department{Name: c.name, ShortName: c.short, RegionCode: "440605", USCC: demo.USCC("440605", 10+i)}
			c.refused(t, createRolledBack(ctx, db, d))
		}

		for _, ref := range []string{"佛山市南海区 (民政局)", "区民政局"} {
			ls, err := org.DepartmentsNamed(ctx, db.Read(), ref, 10)
			if err != nil || len(ls) != 1 || ls[0].ID != mz {
				t.Errorf("DepartmentsNamed(%s) = %+v, %v; want department %d only", ref, ls, err, mz)
			}
		}
		for _, name := range []string{"佛山市南海区(民政局)", "区 民政局"} {
			ds, err := org.DepartmentsByKey(ctx, db.Read(), text.NameKey(name))
			if err != nil || len(ds) != 1 || ds[0].ID != mz {
				t.Errorf("DepartmentsByKey(%s) = %+v, %v; want department %d only", text.NameKey(name), ds, err, mz)
			}
		}
	})
}
