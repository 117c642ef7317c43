package org_test

import (
	"context"
	"testing"

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
