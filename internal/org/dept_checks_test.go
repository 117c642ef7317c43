package org_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/ident"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDepartmentCodeWarnings: a department's credit code that is an
// enterprise's (registration authority 9, not 1 机构编制), whose region
// digits (characters 3–8) are not the department's region, or whose check
// character is wrong (an early code with letters) is accepted, and told on
// every read of the department afterwards (DepartmentByID, the listing),
// not only in the answer to its creation. A code of 1 and the
// department's own region has no warning.
func TestDepartmentCodeWarnings(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		seed(t, db)
		enterprise, err := ident.MakeUSCC("91440605", "MA4UKM7N")
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			what, code string
			want       []string
		}{
			{"a government department's own code", demo.USCC("440605", 7), nil},
			{"an enterprise's code", enterprise, []string{"第1位（登记管理部门代码）为 9"}},
			{"another region's code", demo.USCC("440606", 8), []string{"第3–8位（登记管理机关行政区划码）为 440606，与本部门所在行政区划 440605 不符"}},
			{"a wrong check character", "11440605MB2C9235XY", []string{"校验码不符"}},
		} {
			d := org.Department{Name: "南海区" + c.what, USCC: c.code, RegionCode: "440605"}
			if err := db.Tx(ctx, func(tx *sqldb.Tx) error { return org.CreateDepartment(ctx, tx, admin, &d, t0) }); err != nil {
				t.Fatalf("%s: %v", c.what, err)
			}
			got, err := org.DepartmentByID(ctx, db.Read(), d.ID)
			if err != nil {
				t.Fatal(err)
			}
			ls, _, err := org.FindDepartmentListings(ctx, db.Read(), org.DepartmentFilter{Q: d.Name})
			if err != nil || len(ls) != 1 {
				t.Fatalf("%s: listing %v %v", c.what, ls, err)
			}
			for _, ws := range [][]string{got.Warnings, ls[0].Warnings} {
				if len(ws) != len(c.want) {
					t.Errorf("%s: warnings on read %q, want %q", c.what, ws, c.want)
					continue
				}
				for i, w := range c.want {
					if !strings.Contains(ws[i], w) {
						t.Errorf("%s: warning %q, want one with %q", c.what, ws[i], w)
					}
				}
			}
		}
	})
}

// TestDepartmentParentRegion: a department's parent must sit in its
// region or a region above it (440000 above 440600 above 440605): a
// province-level department under a district's is refused
// (parent_region_mismatch on parent_id) on creation and on change; a
// district's under the city's or the province's is accepted. PUT's change
// of parent_id and region_code is checked alike, refuses a region its
// departments underneath would not be within (child_region_mismatch) and a
// parent that is the department itself or one under it (parent_cycle),
// and is audited with the old values.
func TestDepartmentParentRegion(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		seed(t, db)
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			for _, r := range []org.Region{{Code: "440600", Name: "佛山市", Level: org.City, ParentCode: "440000"},
				{Code: "440606", Name: "顺德区", Level: org.District, ParentCode: "440600"}} {
				if err := org.CreateRegion(ctx, tx, admin, &r, t0); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		n := 0
		create := func(name, region string, parent int64) (org.Department, error) {
			n++
			d := org.Department{Name: name, USCC: demo.USCC(region, 200+n), RegionCode: region, ParentID: parent}
			err := db.Tx(ctx, func(tx *sqldb.Tx) error { return org.CreateDepartment(ctx, tx, admin, &d, t0) })
			return d, err
		}
		update := func(id int64, c org.DepartmentChange) error {
			return db.Tx(ctx, func(tx *sqldb.Tx) error {
				_, err := org.UpdateDepartment(ctx, tx, admin, id, c, t0)
				return err
			})
		}
		refused := func(what string, err error, code, field string) {
			t.Helper()
			if e := errs.As(err); e == nil || e.Code != code || e.Field != field {
				t.Errorf("%s: %v, want %s on %s", what, err, code, field)
			}
		}
		province, err := create("广东省测试厅", "440000", 0)
		if err != nil {
			t.Fatal(err)
		}
		city, err := create("佛山市测试局", "440600", province.ID)
		if err != nil {
			t.Fatal(err)
		}
		district, err := create("顺德区测试局", "440606", city.ID)
		if err != nil {
			t.Fatal(err)
		}
		_, err = create("广东省另一厅", "440000", district.ID)
		refused("a province's department under a district's", err, "parent_region_mismatch", "parent_id")
		_, err = create("南海区测试局", "440605", district.ID)
		refused("a district's department under another district's", err, "parent_region_mismatch", "parent_id")
		if _, err := create("顺德区测试中心", "440606", province.ID); err != nil {
			t.Errorf("a district's department under the province's: %v", err)
		}

		provinceID, cityID, zero := province.ID, city.ID, int64(0)
		refused("PUT a province's parent to a district's department",
			update(province.ID, org.DepartmentChange{Name: province.Name, USCC: province.USCC, ParentID: &district.ID}), "parent_region_mismatch", "parent_id")
		refused("PUT a parent under the department", update(city.ID, org.DepartmentChange{Name: city.Name, USCC: city.USCC, ParentID: &district.ID}),
			"parent_region_mismatch", "parent_id")
		refused("PUT the department its own parent", update(city.ID, org.DepartmentChange{Name: city.Name, USCC: city.USCC, ParentID: &cityID}),
			"parent_cycle", "parent_id")
		nanhai := "440605"
		refused("PUT the city's department into a district its department underneath is not in",
			update(city.ID, org.DepartmentChange{Name: city.Name, USCC: city.USCC, RegionCode: &nanhai}), "child_region_mismatch", "region_code")
		if err := update(district.ID, org.DepartmentChange{Name: district.Name, USCC: district.USCC, ParentID: &provinceID}); err != nil {
			t.Errorf("PUT a district's department under the province's: %v", err)
		}
		if err := update(district.ID, org.DepartmentChange{Name: district.Name, USCC: district.USCC, RegionCode: &nanhai, ParentID: &zero}); err != nil {
			t.Errorf("PUT a department into another district, without parent: %v", err)
		}
		got, err := org.DepartmentByID(ctx, db.Read(), district.ID)
		if err != nil || got.RegionCode != "440605" || got.ParentID != 0 {
			t.Errorf("after the moves: %+v %v", got, err)
		}
		if len(got.Warnings) != 1 || !strings.Contains(got.Warnings[0], "与本部门所在行政区划 440605 不符") {
			t.Errorf("moved with its old code: warnings %q, want the region digits'", got.Warnings)
		}
		rows, _, err := audit.List(ctx, db.Read(), audit.Filter{Action: "department.update"})
		if err != nil || len(rows) != 2 || rows[0].Detail != `{"old_parent_id":"`+itoa(provinceID)+`","old_region_code":"440606","parent_id":"","region_code":"440605"}` ||
			rows[1].Detail != `{"old_parent_id":"`+itoa(cityID)+`","parent_id":"`+itoa(provinceID)+`"}` {
			for _, r := range rows {
				t.Logf("row %s", r.Detail)
			}
			t.Errorf("department.update rows: %d %v", len(rows), err)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestDepartmentListingAccounts: the department list counts a
// department's enabled accounts apart from its disabled ones: an account
// disabled when its holder left is no one who works with the platform.
func TestDepartmentListingAccounts(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		d, users := seed(t, db)
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := org.SetDisabledIf(ctx, tx, admin, users[org.Reviewer].ID, true, nil, t0)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		ls, _, err := org.FindDepartmentListings(ctx, db.Read(), org.DepartmentFilter{})
		if err != nil || len(ls) != 1 || ls[0].ID != d.ID {
			t.Fatalf("listings: %+v %v", ls, err)
		}
		if ls[0].Users != len(users)-1 || ls[0].DisabledUsers != 1 {
			t.Errorf("accounts of the department: %d enabled, %d disabled; want %d and 1", ls[0].Users, ls[0].DisabledUsers, len(users)-1)
		}
	})
}
