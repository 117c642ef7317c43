package org_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDepartmentLabelsParentRegion: namesakes in two regions of the same
// name (鼓楼区 of 南京市 and of 徐州市) are labelled with their parent
// regions too, 区市场监督管理局（南京市鼓楼区）, where the region alone
// still read alike; a namesake whose region's name is its own keeps the
// region alone (玄武区), a name no other department holds stays bare, and
// a disabled namesake counts (区民政局). On both engines.
func TestDepartmentLabelsParentRegion(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		seed(t, db)
		ids := map[string]int64{}
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			for _, r := range []org.Region{{Code: "320000", Name: "江苏省", Level: org.Province},
				{Code: "320100", Name: "南京市", Level: org.City, ParentCode: "320000"},
				{Code: "320102", Name: "玄武区", Level: org.District, ParentCode: "320100"},
				{Code: "320106", Name: "鼓楼区", Level: org.District, ParentCode: "320100"},
				{Code: "320300", Name: "徐州市", Level: org.City, ParentCode: "320000"},
				{Code: "320302", Name: "鼓楼区", Level: org.District, ParentCode: "320300"}} {
				if err := org.CreateRegion(ctx, tx, admin, &r, t0); err != nil {
					return err
				}
			}
			for i, d := range []struct{ key, name, region string }{
				{"南京鼓楼市监", "区市场监督管理局", "320106"},
				{"徐州鼓楼市监", "区市场监督管理局", "320302"},
				{"玄武市监", "区市场监督管理局", "320102"},
				{"南京鼓楼民政", "区民政局", "320106"},
				{"徐州鼓楼民政", "区民政局", "320302"},
				{"玄武统计", "区统计局", "320102"},
			} {
				dept := org.Department{Name: d.name, ShortName: d.key, RegionCode: d.region, USCC: demo.USCC(d.region, i+1)}
				if err := org.CreateDepartment(ctx, tx, admin, &dept, t0); err != nil {
					return err
				}
				ids[d.key] = dept.ID
			}
			_, err := org.SetDepartmentDisabled(ctx, tx, admin, ids["徐州鼓楼民政"], true, nil, t0)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		want := map[string]string{
			"南京鼓楼市监": "区市场监督管理局（南京市鼓楼区）",
			"徐州鼓楼市监": "区市场监督管理局（徐州市鼓楼区）",
			"玄武市监":   "区市场监督管理局（玄武区）",
			"南京鼓楼民政": "区民政局（南京市鼓楼区）",
			"徐州鼓楼民政": "区民政局（徐州市鼓楼区）",
			"玄武统计":   "区统计局",
		}
		var all []int64
		for _, id := range ids {
			all = append(all, id)
		}
		labels, err := org.DepartmentLabels(ctx, db.Read(), all)
		if err != nil {
			t.Fatal(err)
		}
		for key, w := range want {
			if got := labels[ids[key]]; got != w {
				t.Errorf("%s: labelled %q, want %q", key, got, w)
			}
		}
	})
}
