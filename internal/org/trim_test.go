package org_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestNamesStoredTrimmed: a region's name and a department's short name
// are stored without the spaces around them, as a department's name is; a
// short name of spaces alone is none, and "   " names no department.
func TestNamesStoredTrimmed(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		seed(t, db)
		blank := org.Department{Name: "南海区教育局", ShortName: "   ", USCC: "12440605MB2C92360N", RegionCode: "440605"}
		padded := org.Department{Name: "南海区民政局", ShortName: " 民政局 ", USCC: "11440605MB2C9235XX", RegionCode: "440605"}
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			if err := org.CreateRegion(ctx, tx, admin, &org.Region{Code: "440604", Name: " 禅城区 ", Level: org.District, ParentCode: "440000"}, t0); err != nil {
				return err
			}
			if err := org.CreateDepartment(ctx, tx, admin, &blank, t0); err != nil {
				return err
			}
			return org.CreateDepartment(ctx, tx, admin, &padded, t0)
		})
		if err != nil {
			t.Fatal(err)
		}
		rs, err := org.Regions(ctx, db.Read())
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			if r.Code == "440604" && r.Name != "禅城区" {
				t.Errorf("region name stored %q, want 禅城区", r.Name)
			}
		}
		for _, c := range []struct {
			id   int64
			want string
		}{{blank.ID, ""}, {padded.ID, "民政局"}} {
			d, err := org.DepartmentByID(ctx, db.Read(), c.id)
			if err != nil {
				t.Fatal(err)
			}
			if d.ShortName != c.want {
				t.Errorf("short name stored %q, want %q", d.ShortName, c.want)
			}
		}
		if _, err := org.DepartmentByRef(ctx, db.Read(), "   "); code(err) != "department_not_found" {
			t.Errorf(`DepartmentByRef("   "): %s, want department_not_found`, code(err))
		}
		if d, err := org.DepartmentByRef(ctx, db.Read(), "民政局"); err != nil || d.ID != padded.ID {
			t.Errorf("DepartmentByRef(民政局): %v %v, want the department", d.ID, err)
		}
	})
}
