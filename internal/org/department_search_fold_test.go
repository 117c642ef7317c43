package org_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDepartmentSearchFolded: a department search holding a zero-width
// space, a BOM or a braille blank pasted with it finds the department
// whose name or short name holds it as it looks. Before, it found none.
func TestDepartmentSearchFolded(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		seed(t, db)
		d, err := departmentCreator(db, 400)("佛山市南海区车辆门户测试局", "区车辆测试局")
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"车辆\u200b门户", "\ufeff车辆门户", "车辆门户\u2800", "区车辆\u200d测试"} {
			ds, _, err := org.FindDepartments(ctx, db.Read(), org.DepartmentFilter{Q: q})
			if err != nil || len(ds) != 1 || ds[0].ID != d.ID {
				t.Errorf("search %q: %+v, %v; want %s", q, ds, err, d.Name)
			}
		}
		if ds, _, err := org.FindDepartments(ctx, db.Read(), org.DepartmentFilter{Q: "车辆\u200b审计局"}); err != nil || len(ds) != 0 {
			t.Errorf("search 车辆<U+200B>审计局: %+v, %v; want none", ds, err)
		}
	})
}
