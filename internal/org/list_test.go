package org_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/org/orgtest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// pages walks a list page by page with find, returning the pages' sizes
// and every key in the order seen.
func pages[K comparable](t *testing.T, find func(after K) ([]K, K, error)) (sizes []int, keys []K) {
	t.Helper()
	var after, zero K
	for range 100 {
		page, next, err := find(after)
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, len(page))
		keys = append(keys, page...)
		if next == zero {
			return sizes, keys
		}
		if next != page[len(page)-1] {
			t.Fatalf("next cursor %v is not the last key of the page %v", next, page)
		}
		after = next
	}
	t.Fatal("no last page after 100 pages")
	return nil, nil
}

// TestFindPages: the lists page by keyset in SQL: full pages but the last,
// no cursor after the last (even when it is full), every item once and in
// key order, and the filters (department, name search) apply to every page.
func TestFindPages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		seeded, _ := seed(t, db) // 1 department, 4 users
		var gaj org.Department
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			if err := org.CreateRegion(ctx, tx, admin, &org.Region{Code: "440600", Name: "佛山市", Level: org.City, ParentCode: "440000"}, t0); err != nil {
				return err
			}
			for _, code := range []string{"440604", "440606", "440607", "440608"} {
				if err := org.CreateRegion(ctx, tx, admin, &org.Region{Code: code, Name: "区" + code, Level: org.District, ParentCode: "440600"}, t0); err != nil {
					return err
				}
			}
			names := []string{"南海区民政局", "南海区教育局", "Nanhai 100%_Data Bureau", "禅城区民政局", "南海区卫生健康局", "顺德区公安局"}
			for i, name := range names {
				d := org.Department{Name: name, USCC: demo.USCC("440605", i+1), RegionCode: "440605"}
				if i == 1 {
					d.ShortName = "南海教育"
				}
				if err := org.CreateDepartment(ctx, tx, admin, &d, t0); err != nil {
					return err
				}
				if i == 0 {
					gaj = d
				}
			}
			for i := range 5 {
				u := org.NewUser{Username: fmt.Sprintf("mz.Clerk%d", i), DisplayName: fmt.Sprintf("民政科员%d", i),
					DepartmentID: gaj.ID, Role: org.Reviewer, Password: password}
				if _, err := orgtest.CreateUser(ctx, tx, admin, u, t0); err != nil {
					return err
				}
				for _, dept := range []int64{gaj.ID, seeded.ID} {
					if _, _, err := org.CreateApp(ctx, tx, admin, org.NewApp{Name: fmt.Sprintf("应用%d", i), DepartmentID: dept,
						Scopes: []string{"catalog.read"}}, t0); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}

		depts := func(f org.DepartmentFilter) func(after int64) ([]int64, int64, error) {
			return func(after int64) ([]int64, int64, error) {
				f.After = after
				ds, next, err := org.FindDepartments(ctx, db.Read(), f)
				return ids(ds, func(d org.Department) int64 { return d.ID }), next, err
			}
		}
		users := func(f org.UserFilter) func(after int64) ([]int64, int64, error) {
			return func(after int64) ([]int64, int64, error) {
				f.After = after
				us, next, err := org.FindUsers(ctx, db.Read(), f)
				return ids(us, func(u org.User) int64 { return u.ID }), next, err
			}
		}
		apps := func(f org.AppFilter) func(after int64) ([]int64, int64, error) {
			return func(after int64) ([]int64, int64, error) {
				f.After = after
				as, next, err := org.FindApps(ctx, db.Read(), f)
				return ids(as, func(a org.App) int64 { return a.ID }), next, err
			}
		}
		allDepts, err := org.Departments(ctx, db.Read())
		if err != nil || len(allDepts) != 7 {
			t.Fatalf("Departments: got %d, %v; want 7", len(allDepts), err)
		}
		allUsers, _, err := org.FindUsers(ctx, db.Read(), org.UserFilter{})
		if err != nil || len(allUsers) != 9 {
			t.Fatalf("FindUsers: got %d, %v; want 9", len(allUsers), err)
		}
		for _, tt := range []struct {
			name      string
			walk      func(after int64) ([]int64, int64, error)
			wantSizes []int
			want      []int64 // nil: the ids of the unfiltered list
		}{
			{"departments by 3", depts(org.DepartmentFilter{Limit: 3}), []int{3, 3, 1}, ids(allDepts, func(d org.Department) int64 { return d.ID })},
			{"departments by 7: the full last page has no cursor", depts(org.DepartmentFilter{Limit: 7}), []int{7}, nil},
			{"departments by 1", depts(org.DepartmentFilter{Limit: 1}), []int{1, 1, 1, 1, 1, 1, 1}, nil},
			{"departments all", depts(org.DepartmentFilter{}), []int{7}, nil},
			{"departments named 南海区", depts(org.DepartmentFilter{Q: "南海区", Limit: 2}), []int{2, 1}, nil},
			{"departments by short name", depts(org.DepartmentFilter{Q: "南海教育", Limit: 2}), []int{1}, nil},
			{"departments, ASCII in any case", depts(org.DepartmentFilter{Q: "NANHAI", Limit: 2}), []int{1}, nil},
			{"departments, LIKE characters are text", depts(org.DepartmentFilter{Q: "0%_d", Limit: 2}), []int{1}, nil},
			{"departments, % matches only %", depts(org.DepartmentFilter{Q: "%", Limit: 2}), []int{1}, nil},
			{"departments, no match", depts(org.DepartmentFilter{Q: "不存在", Limit: 2}), []int{0}, []int64{}},
			{"users by 4", users(org.UserFilter{Limit: 4}), []int{4, 4, 1}, ids(allUsers, func(u org.User) int64 { return u.ID })},
			{"users of a department by 2", users(org.UserFilter{DepartmentID: gaj.ID, Limit: 2}), []int{2, 2, 1}, nil},
			{"users named clerk, any case", users(org.UserFilter{Q: "CLERK", Limit: 3}), []int{3, 2}, nil},
			{"users by display name, in a department", users(org.UserFilter{Q: "科员", DepartmentID: seeded.ID, Limit: 3}), []int{0}, []int64{}},
			{"apps by 4", apps(org.AppFilter{Limit: 4}), []int{4, 4, 2}, nil},
			{"apps of a department by 5", apps(org.AppFilter{DepartmentID: seeded.ID, Limit: 5}), []int{5}, nil},
		} {
			sizes, got := pages(t, tt.walk)
			if !slices.Equal(sizes, tt.wantSizes) {
				t.Errorf("%s: got pages of %v, want %v", tt.name, sizes, tt.wantSizes)
			}
			if !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != len(got) {
				t.Errorf("%s: got ids %v, want each once, in order", tt.name, got)
			}
			if tt.want != nil && !slices.Equal(got, tt.want) {
				t.Errorf("%s: got ids %v, want %v", tt.name, got, tt.want)
			}
		}

		// Regions page by code.
		sizes, codes := pages(t, func(after string) ([]string, string, error) {
			rs, next, err := org.FindRegions(ctx, db.Read(), org.RegionFilter{After: after, Limit: 4})
			return ids(rs, func(r org.Region) string { return r.Code }), next, err
		})
		want := []string{"440000", "440600", "440604", "440605", "440606", "440607", "440608"}
		if !slices.Equal(sizes, []int{4, 3}) || !slices.Equal(codes, want) {
			t.Errorf("regions by 4: got pages %v of %v, want [4 3] of %v", sizes, codes, want)
		}
		if rs, next, err := org.FindRegions(ctx, db.Read(), org.RegionFilter{After: "440608", Limit: 4}); err != nil || len(rs) != 0 || rs == nil || next != "" {
			t.Errorf("regions after the last: got %v %q %v, want an empty page", rs, next, err)
		}
	})
}

func ids[T, K any](items []T, key func(T) K) []K {
	out := []K{}
	for _, it := range items {
		out = append(out, key(it))
	}
	return out
}
