package org_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRegionCodeFolded: a region code typed or imported with full-width
// digits, a zero-width space or a BOM (１１０１０１, as a Chinese input
// method types it) is the code in ASCII digits, for a new region and its
// parent, a new department and a department moved: before, the region
// was refused as invalid_region_code and the department's as
// unknown_region (行政区划不存在). On both engines.
func TestRegionCodeFolded(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		seed(t, db)
		r := org.Region{Code: "４４０６０６\u200b", Name: "顺德区", Level: org.District, ParentCode: "\ufeff４４００００"}
		d := org.Department{Name: "佛山市南海区区划测试局", USCC: demo.USCC("440605", 301), RegionCode: " ４４０６０５\u200b"}
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			if err := org.CreateRegion(ctx, tx, admin, &r, t0); err != nil {
				return err
			}
			return org.CreateDepartment(ctx, tx, admin, &d, t0)
		})
		if err != nil {
			t.Fatal(err)
		}
		if r.Code != "440606" || r.ParentCode != "440000" || d.RegionCode != "440605" {
			t.Errorf("created region %q under %q, department in %q; want 440606 under 440000, 440605", r.Code, r.ParentCode, d.RegionCode)
		}
		moved := "\ufeff４４０６０６"
		err = db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := org.UpdateDepartment(ctx, tx, admin, d.ID, org.DepartmentChange{Name: d.Name, USCC: d.USCC, RegionCode: &moved}, t0)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		rs, err := org.Regions(ctx, db.Read())
		if err != nil {
			t.Fatal(err)
		}
		var found bool
		for _, g := range rs {
			found = found || g == org.Region{Code: "440606", Name: "顺德区", Level: org.District, ParentCode: "440000"}
		}
		if !found {
			t.Errorf("regions stored: %+v, want 440606 顺德区 under 440000", rs)
		}
		got, err := org.DepartmentByID(ctx, db.Read(), d.ID)
		if err != nil || got.RegionCode != "440606" {
			t.Errorf("moved department: region %q (%v), want 440606", got.RegionCode, err)
		}
	})
}
