package org_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDepartmentShortNameShared: a short name that is exactly another
// department's short name in another region is accepted, on creation and
// on change (every city has its 市司法局: the real catalog's 提供部门 writes
// 市司法局, 市统计局, 市教育局 in many cities), and a person typing it is
// told it is ambiguous, naming every department that has it
// (DepartmentsNamed, DepartmentByName). In one region it is refused, 409
// department_exists on short_name naming the department that has it (as a
// name of the region is), on creation, on change and on a move into that
// region; in any region, a short name that only looks like another's
// (市（司法局）, 市司法局 but for brackets) is refused 409
// department_name_confusable. On both engines.
func TestDepartmentShortNameShared(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		seed(t, db)
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			for _, r := range []org.Region{{Code: "640000", Name: "宁夏回族自治区", Level: org.Province},
				{Code: "640100", Name: "银川市", Level: org.City, ParentCode: "640000"},
				{Code: "340000", Name: "安徽省", Level: org.Province},
				{Code: "340200", Name: "芜湖市", Level: org.City, ParentCode: "340000"}} {
				if err := org.CreateRegion(ctx, tx, admin, &r, t0); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		n := 0
		create := func(name, short, region string) (org.Department, error) {
			n++
			d := org.Department{Name: name, ShortName: short, RegionCode: region, USCC: demo.USCC(region, n)}
			err := db.Tx(ctx, func(tx *sqldb.Tx) error { return org.CreateDepartment(ctx, tx, admin, &d, t0) })
			return d, err
		}
		update := func(id int64, c org.DepartmentChange) error {
			return db.Tx(ctx, func(tx *sqldb.Tx) error {
				_, err := org.UpdateDepartment(ctx, tx, admin, id, c, t0)
				return err
			})
		}
		refusedAs := func(code, what string, err error, other string) {
			t.Helper()
			if e := errs.As(err); e == nil || e.Code != code || e.Field != "short_name" ||
				!strings.Contains(e.Message, "“"+other+"”") {
				t.Errorf("%s: %v; want %s on short_name naming %s", what, err, code, other)
			}
		}
		taken := func(what string, err error, other string) {
			t.Helper()
			refusedAs("department_exists", what, err, other)
		}
		short := func(s string) *string { return &s }

		nx, err := create("银川市司法局", "市司法局", "640100")
		if err != nil {
			t.Fatal(err)
		}
		wh, err := create("芜湖市司法局", "市司法局", "340200")
		if err != nil {
			t.Fatalf("芜湖市司法局 with the short name of 银川市司法局, of another region: %v", err)
		}
		_, err = create("芜湖市鸠江区司法局", "市司法局", "340200")
		taken("a short name of another department of the region", err, wh.Name)
		_, err = create("安徽省司法局", "市（司法局）", "340000")
		refusedAs("department_name_confusable", "a short name looking like others'", err, nx.Name)
		_, err = create("安徽省司法厅", "芜湖市司法局", "340000")
		if e := errs.As(err); e == nil || e.Code != "department_name_confusable" || e.Field != "short_name" {
			t.Errorf("a short name that is another's name: %v; want department_name_confusable on short_name", err)
		}

		tj, err := create("芜湖市统计局", "市统计局", "340200")
		if err != nil {
			t.Fatal(err)
		}
		taken("a change to the short name of another department of the region",
			update(tj.ID, org.DepartmentChange{Name: tj.Name, ShortName: short("市司法局"), USCC: tj.USCC}), wh.Name)
		yc, err := create("银川市统计局", "", "640100")
		if err != nil {
			t.Fatal(err)
		}
		if err := update(yc.ID, org.DepartmentChange{Name: yc.Name, ShortName: short("市统计局"), USCC: yc.USCC}); err != nil {
			t.Errorf("a change to the short name of a department of another region: %v", err)
		}
		taken("a move into the region of a department of its short name",
			update(nx.ID, org.DepartmentChange{Name: nx.Name, USCC: nx.USCC, RegionCode: short("340200")}), wh.Name)
		if got, err := org.DepartmentByID(ctx, db.Read(), nx.ID); err != nil || got.RegionCode != "640100" {
			t.Errorf("after the refused move: %+v, %v; want it in 640100", got, err)
		}

		ls, err := org.DepartmentsNamed(ctx, db.Read(), "市司法局", 0)
		if err != nil || len(ls) != 2 || ls[0].ID != nx.ID || ls[1].ID != wh.ID {
			t.Errorf("DepartmentsNamed(市司法局): %+v, %v; want 银川市司法局 and 芜湖市司法局", ls, err)
		}
		_, err = org.DepartmentByName(ctx, db.Read(), "市司法局")
		if e := errs.As(err); e == nil || e.Code != "department_ambiguous" || !strings.Contains(e.Message, "不止一个") ||
			!strings.Contains(e.Message, nx.Name) || !strings.Contains(e.Message, wh.Name) {
			t.Errorf("DepartmentByName(市司法局): %v; want department_ambiguous naming both", err)
		}
		if d, err := org.DepartmentByName(ctx, db.Read(), wh.Name); err != nil || d.ID != wh.ID {
			t.Errorf("DepartmentByName(%s): %+v, %v; want it", wh.Name, d, err)
		}
	})
}
