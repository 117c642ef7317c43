package org_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDepartmentsNamedByKey: a department typed to choose it (the CLI's
// -department, DepartmentByRef) is found with white space around it (an
// ASCII space, U+3000) and by its name's or short name's key
// (text.NameKey): 佛山市南海区（民政局） for 佛山市南海区(民政局), 区民政局１
// for 区民政局1; a key of two departments is still refused as ambiguous,
// unless one of them has the name typed exactly (TestDepartmentExactName).
// Before, the name was compared raw: 部门不存在. On both engines.
func TestDepartmentsNamedByKey(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		seed(t, db)
		ds := []org.Department{
			{Name: "区民政局", RegionCode: "440605"},
			{Name: "佛山市南海区(民政局)", ShortName: "区民政局1", RegionCode: "440605"},
			{Name: "档案馆", RegionCode: "440605"},
			{Name: "档 案 馆", RegionCode: "440606"},
		}
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			if err := org.CreateRegion(ctx, tx, admin, &org.Region{Code: "440606", Name: "顺德区", Level: org.District, ParentCode: "440000"}, t0); err != nil {
				return err
			}
			for i := range ds[:3] {
				ds[i].USCC = demo.USCC("440605", i+1)
				if err := org.CreateDepartment(ctx, tx, admin, &ds[i], t0); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// One stored before names were compared by key.
		ds[3].USCC = demo.USCC("440606", 9)
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO departments (name, short_name, uscc, region_code, is_operator, disabled, created_at)
				SELECT $1, '', $2, '440606', is_operator, disabled, created_at FROM departments WHERE id = $3`, ds[3].Name, ds[3].USCC, ds[2].ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		rekeyed(t, db)
		for ref, want := range map[string]int64{
			"区民政局 ":          ds[0].ID,
			"区民政局\u3000":     ds[0].ID,
			" 区民政局\t":        ds[0].ID,
			"佛山市南海区（民政局）":    ds[1].ID,
			"佛山市南海区 (民政局)":   ds[1].ID,
			"区民政局１":          ds[1].ID,
			ds[1].USCC + " ": ds[1].ID,
			"档案馆 ":           ds[2].ID, // exactly its name: 档 案 馆 is only alike
		} {
			got, err := org.DepartmentByRef(ctx, db.Read(), ref)
			if err != nil || got.ID != want {
				t.Errorf("DepartmentByRef(%q) = %d, %v; want %d", ref, got.ID, err, want)
			}
		}
		for ref, want := range map[string]string{"档案馆（）": "department_ambiguous",
			"民政局": "department_not_found", "（）": "department_not_found"} {
			if _, err := org.DepartmentByRef(ctx, db.Read(), ref); code(err) != want {
				t.Errorf("DepartmentByRef(%q): %v, want %s", ref, err, want)
			}
		}
	})
}
