package org_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/org/orgtest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestSearchFoldsASCIIOnly: a name search (q) of accounts, apps and
// departments folds the case of ASCII letters alone, alike on both
// engines: école finds école and not ÉCOLE, ｚｈａｏ not ＺＨＡＯ, état
// not ÉTAT, ärzte not ÄRZTE, STRAẞE not Straße, while zhao still finds
// ZHAO. PostgreSQL's lower() folded the others, SQLite's did not.
func TestSearchFoldsASCIIOnly(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		seeded, _ := seed(t, db)
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			var depts []int64
			for i, n := range []string{"ÄRZTE联络处", "Straße局"} {
				d := org.Department{Name: n, USCC: demo.USCC("440605", i+1), RegionCode: "440605", ParentID: seeded.ID}
				if err := org.CreateDepartment(ctx, tx, admin, &d, t0); err != nil {
					return err
				}
				depts = append(depts, d.ID)
			}
			// Two departments' apps: within one, names differing by
			// case alone are look-alikes and refused (app_exists).
			for i, n := range []string{"ÉTAT接口", "état接口"} {
				if _, _, err := org.CreateApp(ctx, tx, admin, org.NewApp{Name: n, DepartmentID: depts[i],
					Scopes: []string{"catalog.read"}}, t0); err != nil {
					return err
				}
			}
			for i, n := range []string{"ÉCOLE", "école", "ＺＨＡＯ", "ZHAO"} {
				if _, err := orgtest.CreateUser(ctx, tx, admin, org.NewUser{Username: "fold." + string(rune('a'+i)),
					DisplayName: n, DepartmentID: seeded.ID, Role: org.Reviewer, Password: password}, t0); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for q, want := range map[string]string{"école": "école", "ÉCOLE": "ÉCOLE", "ｚｈａｏ": "", "ＺＨＡＯ": "ＺＨＡＯ", "zhao": "ZHAO"} {
			us, _, err := org.FindUserListings(ctx, db.Read(), org.UserFilter{Q: q})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, u := range us {
				got = append(got, u.DisplayName)
			}
			if strings.Join(got, " ") != want {
				t.Errorf("accounts named %q: got %q, want %q", q, got, want)
			}
		}
		for q, want := range map[string]string{"état": "état接口", "ÉTAT": "ÉTAT接口", "ÉTat": "ÉTAT接口"} {
			as, _, err := org.FindAppListings(ctx, db.Read(), org.AppFilter{Q: q})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, a := range as {
				got = append(got, a.Name)
			}
			if strings.Join(got, " ") != want {
				t.Errorf("apps named %q: got %q, want %q", q, got, want)
			}
		}
		for q, want := range map[string]string{"ärzte": "", "ÄRZTE": "ÄRZTE联络处", "ÄrZte": "ÄRZTE联络处",
			"STRAẞE": "", "straße": "Straße局", "ｓｔｒａßｅ": "Straße局"} {
			f := org.DepartmentFilter{Q: q}
			ds, _, err := org.FindDepartments(ctx, db.Read(), f)
			if err != nil {
				t.Fatal(err)
			}
			n, err := org.CountDepartments(ctx, db.Read(), f)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, d := range ds {
				got = append(got, d.Name)
			}
			if strings.Join(got, " ") != want || n != len(got) {
				t.Errorf("departments named %q: got %d %q, want %q", q, n, got, want)
			}
		}
	})
}
