package org_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDepartmentExactName: a department typed by its exact name or short
// name is that department, though another's name differs only in
// brackets (佛山市南海区(民政局) beside a 佛山市南海区（民政局） stored before
// checkNamesFree refused it): it was department_ambiguous, naming a
// department that does not have the name. Typed so that no name is
// exactly it, the names alike are all candidates, and the refusal says
// they look alike rather than that they have that name.
func TestDepartmentExactName(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		seed(t, db)
		ds := []org.Department{
			{Name: "佛山市南海区(民政局)", RegionCode: "440605"},
			{Name: "佛山市南海区民政局旧址", RegionCode: "440605"}, // renamed 佛山市南海区（民政局）, below
		}
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			for i := range ds {
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
		if _, err := db.Write().ExecContext(ctx, `UPDATE departments SET name = $1 WHERE id = $2`, "佛山市南海区（民政局）", ds[1].ID); err != nil {
			t.Fatal(err)
		}
		rekeyed(t, db)
		for ref, want := range map[string]int64{"佛山市南海区(民政局)": ds[0].ID, "佛山市南海区（民政局）": ds[1].ID} {
			got, err := org.DepartmentByRef(ctx, db.Read(), ref)
			if err != nil || got.ID != want {
				t.Errorf("DepartmentByRef(%q) = %d, %v; want %d", ref, got.ID, err, want)
			}
			if ls, err := org.DepartmentsNamed(ctx, db.Read(), ref, 0); err != nil || len(ls) != 1 || ls[0].ID != want {
				t.Errorf("DepartmentsNamed(%q) = %v, %v; want department %d alone", ref, ls, err, want)
			}
		}
		ref := "佛山市南海区 (民政局)"
		_, err = org.DepartmentByRef(ctx, db.Read(), ref)
		if code(err) != "department_ambiguous" {
			t.Fatalf("DepartmentByRef(%q): %v, want department_ambiguous", ref, err)
		}
		for _, d := range ds {
			if !strings.Contains(err.Error(), fmt.Sprintf("ID %d，", d.ID)) {
				t.Errorf("DepartmentByRef(%q): %v does not name department %d", ref, err, d.ID)
			}
		}
		if msg := err.Error(); strings.Contains(msg, "名称或简称为“") || !strings.Contains(msg, "看起来相同") {
			t.Errorf("DepartmentByRef(%q): %q, want it to say the names look alike, not that they are %q", ref, msg, ref)
		}
	})
}

// BenchmarkDepartmentByRef looks up a department by its name among 5,000,
// as the operator's apps page does on every load.
func BenchmarkDepartmentByRef(b *testing.B) {
	for _, engine := range []struct {
		name string
		open func(testing.TB) *sqldb.DB
	}{{"sqlite", sqldbtest.SQLite}, {"postgres", sqldbtest.Postgres}} {
		b.Run(engine.name, func(b *testing.B) {
			db := engine.open(b)
			ctx := context.Background()
			const n = 5000
			err := db.Tx(ctx, func(tx *sqldb.Tx) error {
				if _, err := tx.ExecContext(ctx, `INSERT INTO regions (code, name, level) VALUES ('440000', '广东省', 'province')`); err != nil {
					return err
				}
				for i := 1; i <= n; i++ {
					if _, err := tx.ExecContext(ctx, `INSERT INTO departments (name, short_name, uscc, region_code, created_at) VALUES ($1, $2, $3, '440000', $4)`,
						fmt.Sprintf("广东省第%d号政务服务机构", i), fmt.Sprintf("机构%d", i), demo.USCC("440000", i), t0); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				name := fmt.Sprintf("广东省第%d号政务服务机构", i%n+1)
				if d, err := org.DepartmentByRef(ctx, db.Read(), name); err != nil || d.Name != name {
					b.Fatalf("DepartmentByRef(%q) = %q, %v", name, d.Name, err)
				}
			}
		})
	}
}
