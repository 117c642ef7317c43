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

// TestCreateDepartmentCodeHeld: a new department with a credit code that
// another has is refused (409 department_exists, on uscc) with a message
// naming that department, where it said only 已是另一个部门的. On both
// engines.
func TestCreateDepartmentCodeHeld(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		d, _ := seed(t, db)
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			return org.CreateDepartment(ctx, tx, admin, &org.Department{Name: "某局", USCC: " " + d.USCC + " ", RegionCode: "440605"}, t0)
		})
		want := "统一社会信用代码 " + d.USCC + " 已是部门“" + d.Name + "”的统一社会信用代码"
		if e := errs.As(err); e == nil || e.Kind != errs.Conflict || e.Code != "department_exists" || e.Field != "uscc" || e.Message != want {
			t.Errorf("got %#v, want department_exists on uscc: %s", e, want)
		}
	})
}

// TestUpdateDepartmentCodeHeld: a department's credit code changed to one
// another department has is refused as on creation (409
// department_exists, on uscc), naming that department, where it said only
// 已是另一个部门的; nothing is changed. On both engines.
func TestUpdateDepartmentCodeHeld(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		d, _ := seed(t, db)
		other := org.Department{Name: "佛山市南海区档案馆", USCC: "12440605MB2E00029Q", RegionCode: "440605"}
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error { return org.CreateDepartment(ctx, tx, admin, &other, t0) }); err != nil {
			t.Fatal(err)
		}
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := org.UpdateDepartment(ctx, tx, admin, other.ID, org.DepartmentChange{Name: other.Name, USCC: " " + d.USCC + " "}, t0)
			return err
		})
		want := "统一社会信用代码 " + d.USCC + " 已是部门“" + d.Name + "”的统一社会信用代码"
		if e := errs.As(err); e == nil || e.Kind != errs.Conflict || e.Code != "department_exists" || e.Field != "uscc" || e.Message != want {
			t.Errorf("got %#v, want department_exists on uscc: %s", e, want)
		}
		if got, err := org.DepartmentByID(ctx, db.Read(), other.ID); err != nil || got.USCC != other.USCC {
			t.Errorf("after the refused change: %+v, %v; want its code %s kept", got, err, other.USCC)
		}
	})
}

// TestDepartmentCodeHeldLabel: the department a refused credit code
// belongs to is named by its label when another region has a department
// of its name, on creation and on a change, where both namesakes read
// 区市场监督管理局. On both engines.
func TestDepartmentCodeHeldLabel(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		seed(t, db)
		nanhai := org.Department{Name: "区市场监督管理局", USCC: demo.USCC("440605", 1), RegionCode: "440605"}
		chancheng := org.Department{Name: "区市场监督管理局", USCC: demo.USCC("440604", 1), RegionCode: "440604"}
		other := org.Department{Name: "区统计局", USCC: demo.USCC("440604", 2), RegionCode: "440604"}
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			if err := org.CreateRegion(ctx, tx, admin, &org.Region{Code: "440604", Name: "禅城区", Level: org.District, ParentCode: "440000"}, t0); err != nil {
				return err
			}
			for _, d := range []*org.Department{&nanhai, &chancheng, &other} {
				if err := org.CreateDepartment(ctx, tx, admin, d, t0); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			return org.CreateDepartment(ctx, tx, admin, &org.Department{Name: "区民政局", USCC: chancheng.USCC, RegionCode: "440604"}, t0)
		})
		want := "统一社会信用代码 " + chancheng.USCC + " 已是部门“区市场监督管理局（禅城区）”的统一社会信用代码"
		if e := errs.As(err); e == nil || e.Code != "department_exists" || e.Field != "uscc" || e.Message != want {
			t.Errorf("created with the code of 禅城区's: %#v, want department_exists on uscc: %s", e, want)
		}
		err = db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := org.UpdateDepartment(ctx, tx, admin, other.ID, org.DepartmentChange{Name: other.Name, USCC: nanhai.USCC}, t0)
			return err
		})
		want = "统一社会信用代码 " + nanhai.USCC + " 已是部门“区市场监督管理局（南海区）”的统一社会信用代码"
		if e := errs.As(err); e == nil || e.Code != "department_exists" || e.Field != "uscc" || e.Message != want {
			t.Errorf("changed to the code of 南海区's: %#v, want department_exists on uscc: %s", e, want)
		}
	})
}
