package org_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/org/orgtest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// countingQuerier counts the statements sent through it.
type countingQuerier struct {
	sqldb.Querier
	n int
}

func (c *countingQuerier) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	c.n++
	return c.Querier.ExecContext(ctx, query, args...)
}

func (c *countingQuerier) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	c.n++
	return c.Querier.QueryContext(ctx, query, args...)
}

func (c *countingQuerier) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	c.n++
	return c.Querier.QueryRowContext(ctx, query, args...)
}

// TestListings: the console's listings page and filter as the Find
// functions do, with the same cursors, carry what a row shows (region,
// parent, number of accounts; department; keys) and read a page of any
// size in a fixed number of queries (one; two for apps).
func TestListings(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		seeded, _ := seed(t, db) // 1 department, 4 users
		var depts []org.Department
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			if err := org.CreateRegion(ctx, tx, admin, &org.Region{Code: "440606", Name: "顺德区", Level: org.District, ParentCode: "440000"}, t0); err != nil {
				return err
			}
			for i := range 12 {
				d := org.Department{Name: fmt.Sprintf("测试局%02d", i), USCC: demo.USCC("440605", i+1), RegionCode: "440605",
					ParentID: seeded.ID}
				if i%2 == 1 {
					d.RegionCode, d.ParentID, d.ShortName = "440606", 0, fmt.Sprintf("Short%02d", i)
				}
				if err := org.CreateDepartment(ctx, tx, admin, &d, t0); err != nil {
					return err
				}
				depts = append(depts, d)
				for j := range i % 3 {
					if _, err := orgtest.CreateUser(ctx, tx, admin, org.NewUser{Username: fmt.Sprintf("c%d.%d", i, j),
						DisplayName: "科员", DepartmentID: d.ID, Role: org.Reviewer, Password: password}, t0); err != nil {
						return err
					}
				}
				for j := range i % 4 {
					app, _, err := org.CreateApp(ctx, tx, admin, org.NewApp{Name: fmt.Sprintf("应用%d", j), DepartmentID: d.ID,
						Scopes: []string{"catalog.read"}}, t0)
					if err != nil {
						return err
					}
					for range j { // more keys: rotated, one revoked
						if _, _, err := org.RotateKey(ctx, tx, admin, app.ID, time.Hour, t0); err != nil {
							return err
						}
					}
					if j == 2 {
						if err := org.RevokeApp(ctx, tx, admin, app.ID, t0); err != nil {
							return err
						}
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		q := &countingQuerier{Querier: db.Read()}

		// Departments: the same pages as FindDepartments, with their extras.
		names := map[int64]string{seeded.ID: seeded.Name}
		for _, d := range depts {
			names[d.ID] = d.Name
		}
		if _, err := org.DepartmentListingByID(ctx, db.Read(), 1<<40); !errs.Is(err, errs.NotFound) {
			t.Errorf("DepartmentListingByID of no department: %v, want not found", err)
		}
		for _, f := range []org.DepartmentFilter{{Limit: 5}, {Limit: 13}, {Q: "short", Limit: 4}, {Q: "测试局0", Limit: 3}, {Q: "无此部门", Limit: 3}} {
			total, err := org.CountDepartments(ctx, db.Read(), f)
			if err != nil {
				t.Fatal(err)
			}
			seen := 0
			for {
				want, wantNext, err := org.FindDepartments(ctx, db.Read(), f)
				if err != nil {
					t.Fatal(err)
				}
				q.n = 0
				got, next, err := org.FindDepartmentListings(ctx, q, f)
				if err != nil {
					t.Fatal(err)
				}
				if q.n != 1 {
					t.Errorf("%+v: FindDepartmentListings sent %d statements, want 1", f, q.n)
				}
				if next != wantNext || len(got) != len(want) {
					t.Fatalf("%+v: got %d departments and next %d, want %d and %d", f, len(got), next, len(want), wantNext)
				}
				for i, l := range got {
					if diff := cmp.Diff(want[i], l.Department); diff != "" {
						t.Errorf("%+v: department %d (-want +got):\n%s", f, i, diff)
					}
					one, err := org.DepartmentListingByID(ctx, db.Read(), l.ID)
					if err != nil {
						t.Fatal(err)
					}
					if diff := cmp.Diff(l, one); diff != "" {
						t.Errorf("DepartmentListingByID(%d) (-listed +got):\n%s", l.ID, diff)
					}
					us, _, err := org.FindUsers(ctx, db.Read(), org.UserFilter{DepartmentID: l.ID})
					if err != nil {
						t.Fatal(err)
					}
					r, wantRegion := l.Region, org.Region{Code: "440605", Name: "南海区", Level: org.District, ParentCode: "440000"}
					if l.RegionCode == "440606" {
						wantRegion = org.Region{Code: "440606", Name: "顺德区", Level: org.District, ParentCode: "440000"}
					}
					if r != wantRegion || l.ParentName != names[l.ParentID] || l.Users != len(us) {
						t.Errorf("%+v: %s: got region %+v, parent %q, %d users; want %+v, %q, %d", f, l.Name, r, l.ParentName,
							l.Users, wantRegion, names[l.ParentID], len(us))
					}
				}
				seen += len(got)
				if next == 0 {
					break
				}
				f.After = next
			}
			if seen != total {
				t.Errorf("%+v: CountDepartments %d, pages held %d", f, total, seen)
			}
		}

		// Users.
		for _, f := range []org.UserFilter{{Limit: 4}, {Q: "C1", Limit: 2}, {DepartmentID: depts[5].ID, Limit: 1}} {
			total, err := org.CountUsers(ctx, db.Read(), f)
			if err != nil {
				t.Fatal(err)
			}
			seen := 0
			for {
				want, wantNext, err := org.FindUsers(ctx, db.Read(), f)
				if err != nil {
					t.Fatal(err)
				}
				q.n = 0
				got, next, err := org.FindUserListings(ctx, q, f)
				if err != nil {
					t.Fatal(err)
				}
				if q.n != 1 {
					t.Errorf("%+v: FindUserListings sent %d statements, want 1", f, q.n)
				}
				if next != wantNext || len(got) != len(want) {
					t.Fatalf("%+v: got %d users and next %d, want %d and %d", f, len(got), next, len(want), wantNext)
				}
				for i, l := range got {
					if diff := cmp.Diff(want[i], l.User); diff != "" {
						t.Errorf("%+v: user %d (-want +got):\n%s", f, i, diff)
					}
					if l.DepartmentName != names[l.DepartmentID] {
						t.Errorf("%+v: %s: got department %q, want %q", f, l.Username, l.DepartmentName, names[l.DepartmentID])
					}
				}
				seen += len(got)
				if next == 0 {
					break
				}
				f.After = next
			}
			if seen != total || total == 0 {
				t.Errorf("%+v: CountUsers %d, pages held %d", f, total, seen)
			}
		}

		// Apps: keys as AppByID reads them, in two statements a page.
		for _, f := range []org.AppFilter{{Limit: 4}, {Limit: 100}, {DepartmentID: depts[7].ID, Limit: 2}, {Q: "应用2", Limit: 1},
			{DepartmentID: depts[11].ID, Q: "应用1", Limit: 1}} {
			total, err := org.CountApps(ctx, db.Read(), f)
			if err != nil {
				t.Fatal(err)
			}
			seen := 0
			for {
				want, wantNext, err := org.FindApps(ctx, db.Read(), f)
				if err != nil {
					t.Fatal(err)
				}
				q.n = 0
				got, next, err := org.FindAppListings(ctx, q, f)
				if err != nil {
					t.Fatal(err)
				}
				if wantN := min(len(want), 1) + 1; q.n != wantN {
					t.Errorf("%+v: FindAppListings sent %d statements for %d apps, want %d", f, q.n, len(got), wantN)
				}
				if next != wantNext || len(got) != len(want) {
					t.Fatalf("%+v: got %d apps and next %d, want %d and %d", f, len(got), next, len(want), wantNext)
				}
				for _, l := range got {
					full, err := org.AppByID(ctx, db.Read(), l.ID)
					if err != nil {
						t.Fatal(err)
					}
					if diff := cmp.Diff(full, l.App); diff != "" {
						t.Errorf("%+v: app %d (-AppByID +listing):\n%s", f, l.ID, diff)
					}
					if l.DepartmentName != names[l.DepartmentID] {
						t.Errorf("%+v: app %d: got department %q, want %q", f, l.ID, l.DepartmentName, names[l.DepartmentID])
					}
					if !strings.Contains(l.Name, f.Q) || (f.DepartmentID != 0 && l.DepartmentID != f.DepartmentID) {
						t.Errorf("%+v: app %d %q of department %d listed", f, l.ID, l.Name, l.DepartmentID)
					}
				}
				seen += len(got)
				if next == 0 {
					break
				}
				f.After = next
			}
			if seen != total || total == 0 {
				t.Errorf("%+v: CountApps %d, pages held %d", f, total, seen)
			}
		}
	})
}

// TestSearchInTheNameCase: a search by a part of a name as it is written
// finds it on both engines, whatever its letters: ASCII letters match in
// any case, and letters such as Ａ (full width) and Ä in their own case;
// a department's full-width letters (ＡＢＣ) are found by their half-width
// forms and the other way round, in upper case on both engines
// (TestSearchFoldsASCIIOnly: other letters in their own case only).
func TestSearchInTheNameCase(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		seeded, _ := seed(t, db)
		names := []string{"ＡＢＣ数据中心", "ÄRZTE联络处", "Abc局", `百分之50%中心`, `下划_线局`, `反斜\杠局`}
		appNames := []string{"ＡＢＣ核验", "Abc系统", `百分之50%接口`, `下划_线接口`, `反斜\杠接口`}
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			for i, n := range names {
				d := org.Department{Name: n, USCC: demo.USCC("440605", i+1), RegionCode: "440605", ParentID: seeded.ID}
				if err := org.CreateDepartment(ctx, tx, admin, &d, t0); err != nil {
					return err
				}
			}
			for _, n := range appNames {
				if _, _, err := org.CreateApp(ctx, tx, admin, org.NewApp{Name: n, DepartmentID: seeded.ID,
					Scopes: []string{"catalog.read"}}, t0); err != nil {
					return err
				}
			}
			_, err := orgtest.CreateUser(ctx, tx, admin, org.NewUser{Username: "zhang.san", DisplayName: "张三（ＩＴ）",
				DepartmentID: seeded.ID, Role: org.Reviewer, Password: password}, t0)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		// Full-width and half-width forms find each other (TestDepartmentNameLookalike).
		abc := names[0] + " " + names[2]
		for q, want := range map[string]string{"ＡＢＣ": abc, "ÄRZTE": names[1], "abc": abc, "ABC": abc,
			"50%": names[3], "_": names[4], `\`: names[5]} {
			f := org.DepartmentFilter{Q: q}
			ls, _, err := org.FindDepartmentListings(ctx, db.Read(), f)
			if err != nil {
				t.Fatal(err)
			}
			n, err := org.CountDepartments(ctx, db.Read(), f)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, l := range ls {
				got = append(got, l.Name)
			}
			if strings.Join(got, " ") != want || n != len(got) {
				t.Errorf("departments named %q: got %d (%+v), want %q", q, n, ls, want)
			}
		}
		for q, want := range map[string]string{"ＡＢＣ": appNames[0], "abc": appNames[1], "ABC": appNames[1],
			"50%": appNames[2], "_": appNames[3], `\`: appNames[4]} {
			f := org.AppFilter{Q: q}
			as, _, err := org.FindAppListings(ctx, db.Read(), f)
			if err != nil {
				t.Fatal(err)
			}
			n, err := org.CountApps(ctx, db.Read(), f)
			if err != nil {
				t.Fatal(err)
			}
			if len(as) != 1 || as[0].Name != want || n != 1 {
				t.Errorf("apps named %q: got %d (%+v), want %q", q, n, as, want)
			}
		}
		for _, q := range []string{"ＩＴ", "（ＩＴ）", "ZHANG"} {
			us, _, err := org.FindUserListings(ctx, db.Read(), org.UserFilter{Q: q})
			if err != nil {
				t.Fatal(err)
			}
			if len(us) != 1 || us[0].Username != "zhang.san" {
				t.Errorf("accounts named %q: got %+v, want zhang.san", q, us)
			}
		}
	})
}

// legacyShortName gives department id the short name short as a database
// of before CreateDepartment refused a short name another department has
// as its name or short name (department_name_confusable) may hold it,
// with its key as the upgrade's org.RekeyDepartments writes it (rekeyed).
func legacyShortName(t *testing.T, db *sqldb.DB, id int64, short string) {
	t.Helper()
	if _, err := db.Write().ExecContext(context.Background(), `UPDATE departments SET short_name = $1 WHERE id = $2`,
		short, id); err != nil {
		t.Fatal(err)
	}
	rekeyed(t, db)
}

// TestDepartmentsNamed: a department typed to choose it is found by its
// unified social credit code, else by its name or short name alike, and
// several are all returned for the caller to tell apart: names repeat
// across regions, and a database may hold short names of several
// departments, or a short name that is another's name, stored before
// they were refused (legacyShortName): the name is not preferred.
func TestDepartmentsNamed(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		seeded, _ := seed(t, db)
		ds := []org.Department{
			{Name: "佛山市南海区档案馆", ShortName: "南海档案", RegionCode: "440605"},
			{Name: "佛山市顺德区档案馆", RegionCode: "440606"}, // short name 南海档案, below
			{Name: "档案馆", RegionCode: "440605"},
			{Name: "档案馆", RegionCode: "440606"},
			{Name: "区档案", RegionCode: "440605"},
			{Name: "区档案室", RegionCode: "440606"}, // short name 区档案, below
		}
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			if err := org.CreateRegion(ctx, tx, admin, &org.Region{Code: "440606", Name: "顺德区", Level: org.District, ParentCode: "440000"}, t0); err != nil {
				return err
			}
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
		legacyShortName(t, db, ds[1].ID, "南海档案")
		legacyShortName(t, db, ds[5].ID, "区档案")
		for _, c := range []struct {
			ref   string
			limit int
			want  []org.Department
		}{
			{ds[0].USCC, 0, ds[:1]},
			{"佛山市顺德区档案馆", 0, ds[1:2]},
			{"南海档案", 0, ds[:2]},
			{"南海档案", 1, ds[:1]},
			{"档案馆", 0, ds[2:4]},  // a name of two regions
			{"区档案", 0, ds[4:6]},  // a name and another's short name, alike
			{"区档案室", 0, ds[5:6]}, // the name of the department of that short name
			{seeded.Name, 0, []org.Department{seeded}},
			{"档案", 0, nil},
			{"南海档", 0, nil},
		} {
			got, err := org.DepartmentsNamed(ctx, db.Read(), c.ref, c.limit)
			if err != nil {
				t.Fatal(err)
			}
			var ids, want []int64
			for _, l := range got {
				ids = append(ids, l.ID)
				if l.Region.Code != l.RegionCode || l.Region.Name == "" {
					t.Errorf("%q: department %d without its region: %+v", c.ref, l.ID, l.Region)
				}
			}
			for _, d := range c.want {
				want = append(want, d.ID)
			}
			if !slices.Equal(ids, want) {
				t.Errorf("DepartmentsNamed(%q, %d) = %v, want %v", c.ref, c.limit, ids, want)
			}
		}
		// DepartmentByName (the CLI's -department) takes the one named,
		// and refuses a name of several rather than taking the first.
		for _, d := range []org.Department{ds[0], ds[1], ds[5]} {
			ref := d.Name
			if d.Name == ds[0].Name {
				ref = d.USCC
			}
			got, err := org.DepartmentByName(ctx, db.Read(), ref)
			if err != nil || got.ID != d.ID {
				t.Errorf("DepartmentByName(%q) = %d, %v; want %d", ref, got.ID, err, d.ID)
			}
		}
		for ref, want := range map[string]string{"档案馆": "department_ambiguous", "南海档案": "department_ambiguous",
			"区档案": "department_ambiguous", "档案": "department_not_found"} {
			_, err := org.DepartmentByName(ctx, db.Read(), ref)
			if code(err) != want {
				t.Errorf("DepartmentByName(%q): %v, want %s", ref, err, want)
			}
		}
		_, err = org.DepartmentByName(ctx, db.Read(), "档案馆")
		for _, d := range ds[2:4] {
			if !strings.Contains(err.Error(), fmt.Sprintf("ID %d，", d.ID)) || !strings.Contains(err.Error(), d.USCC) {
				t.Errorf("DepartmentByName(档案馆): %v does not name department %d (%s)", err, d.ID, d.USCC)
			}
		}
	})
}

// TestDepartmentByNameNamesThemAll: a name of several departments is
// refused naming them, with "等" only when more than those named share it:
// here a short name of several, stored before it was refused.
func TestDepartmentByNameNamesThemAll(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		seed(t, db)
		add := func(n int) {
			t.Helper()
			err := db.Tx(ctx, func(tx *sqldb.Tx) error {
				d := org.Department{Name: fmt.Sprintf("档案室%d", n), RegionCode: "440605", USCC: demo.USCC("440605", n)}
				if err := org.CreateDepartment(ctx, tx, admin, &d, t0); err != nil {
					return err
				}
				_, err := tx.ExecContext(ctx, `UPDATE departments SET short_name = '档案' WHERE id = $1`, d.ID) // legacyShortName
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		for n := 1; n <= 6; n++ {
			add(n)
			if n < 2 {
				continue
			}
			_, err := org.DepartmentByName(ctx, db.Read(), "档案")
			named := strings.Count(err.Error(), "档案室")
			more := strings.Contains(err.Error(), "等，")
			if want := min(n, 5); code(err) != "department_ambiguous" || named != want || more != (n > 5) {
				t.Errorf("%d departments of one short name: %v; want %d named, 等 %v", n, err, want, n > 5)
			}
		}
	})
}

// TestDepartmentByRefCodeAnyCase: a credit code typed in lower case or
// with spaces around names its department, as creation and change take
// the code so typed, by DepartmentByRef and DepartmentsNamed alike.
func TestDepartmentByRefCodeAnyCase(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		seed(t, db)
		d := org.Department{Name: "南海区某局", USCC: "11440605115408225u", RegionCode: "440605"}
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error { return org.CreateDepartment(ctx, tx, admin, &d, t0) }); err != nil {
			t.Fatal(err)
		}
		for _, ref := range []string{"11440605115408225U", "11440605115408225u", " 11440605115408225u "} {
			if got, err := org.DepartmentByRef(ctx, db.Read(), ref); err != nil || got.ID != d.ID {
				t.Errorf("DepartmentByRef(%q) = %d, %v; want %d", ref, got.ID, err, d.ID)
			}
			if got, err := org.DepartmentsNamed(ctx, db.Read(), ref, 0); err != nil || len(got) != 1 || got[0].ID != d.ID {
				t.Errorf("DepartmentsNamed(%q) = %v, %v; want department %d", ref, got, err, d.ID)
			}
		}
	})
}
