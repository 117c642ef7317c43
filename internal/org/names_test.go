package org_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/org/orgtest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestNamesChecked: names and descriptions of regions, departments, users
// and apps with NUL (PostgreSQL refuses it: an internal error there, a
// stored NUL in SQLite), other control characters or too many characters
// are refused as bad input on both engines, and nothing is stored.
func TestNamesChecked(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		d, _ := seed(t, db)
		try := func(f func(tx *sqldb.Tx) error) string {
			t.Helper()
			return code(db.Tx(ctx, f))
		}
		long := func(n int) string { return strings.Repeat("名", n) }
		for _, c := range []struct {
			name string
			f    func(tx *sqldb.Tx) error
			want string
		}{
			{"region NUL", func(tx *sqldb.Tx) error {
				return org.CreateRegion(ctx, tx, admin, &org.Region{Code: "440606", Name: "顺\x00德区", Level: org.Province}, t0)
			}, "invalid_characters"},
			{"region too long", func(tx *sqldb.Tx) error {
				return org.CreateRegion(ctx, tx, admin, &org.Region{Code: "440606", Name: long(51), Level: org.Province}, t0)
			}, "too_long"},
			{"department NUL", func(tx *sqldb.Tx) error {
				return org.CreateDepartment(ctx, tx, admin, &org.Department{Name: "民政\x00局", USCC: "11440605MB2C92340R", RegionCode: "440605"}, t0)
			}, "invalid_characters"},
			{"department line break", func(tx *sqldb.Tx) error {
				return org.CreateDepartment(ctx, tx, admin, &org.Department{Name: "民政\n局", USCC: "11440605MB2C92340R", RegionCode: "440605"}, t0)
			}, "invalid_characters"},
			{"department too long", func(tx *sqldb.Tx) error {
				return org.CreateDepartment(ctx, tx, admin, &org.Department{Name: long(101), USCC: "11440605MB2C92340R", RegionCode: "440605"}, t0)
			}, "too_long"},
			{"department short name", func(tx *sqldb.Tx) error {
				return org.CreateDepartment(ctx, tx, admin, &org.Department{Name: "民政局", ShortName: "民\x07政", USCC: "11440605MB2C92340R",
					RegionCode: "440605"}, t0)
			}, "invalid_characters"},
			{"user NUL", func(tx *sqldb.Tx) error {
				_, err := orgtest.CreateUser(ctx, tx, admin, org.NewUser{Username: "u.nul", DisplayName: "张\x00三", DepartmentID: d.ID,
					Role: org.Reviewer, Password: password}, t0)
				return err
			}, "invalid_characters"},
			{"user too long", func(tx *sqldb.Tx) error {
				_, err := orgtest.CreateUser(ctx, tx, admin, org.NewUser{Username: "u.long", DisplayName: long(51), DepartmentID: d.ID,
					Role: org.Reviewer, Password: password}, t0)
				return err
			}, "too_long"},
			{"app NUL", func(tx *sqldb.Tx) error {
				_, _, err := org.CreateApp(ctx, tx, admin, org.NewApp{Name: "审批\x00系统", DepartmentID: d.ID, Scopes: []string{"data.read"}}, t0)
				return err
			}, "invalid_characters"},
			{"app too long", func(tx *sqldb.Tx) error {
				_, _, err := org.CreateApp(ctx, tx, admin, org.NewApp{Name: long(101), DepartmentID: d.ID, Scopes: []string{"data.read"}}, t0)
				return err
			}, "too_long"},
			{"app description NUL", func(tx *sqldb.Tx) error {
				_, _, err := org.CreateApp(ctx, tx, admin, org.NewApp{Name: "审批系统", Description: "说明\x00", DepartmentID: d.ID,
					Scopes: []string{"data.read"}}, t0)
				return err
			}, "invalid_characters"},
			{"app description too long", func(tx *sqldb.Tx) error {
				_, _, err := org.CreateApp(ctx, tx, admin, org.NewApp{Name: "审批系统", Description: long(1001), DepartmentID: d.ID,
					Scopes: []string{"data.read"}}, t0)
				return err
			}, "too_long"},
		} {
			if got := try(c.f); got != c.want {
				t.Errorf("%s: %s, want %s", c.name, got, c.want)
			}
		}
		// The longest names, and a description on several lines, are fine.
		if got := try(func(tx *sqldb.Tx) error {
			_, _, err := org.CreateApp(ctx, tx, admin, org.NewApp{Name: long(100), Description: "第一行\n第二行\t" + long(990),
				DepartmentID: d.ID, Scopes: []string{"data.read"}}, t0)
			return err
		}); got != "" {
			t.Errorf("longest app name: %s", got)
		}
		var n int
		if err := db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM apps`).Scan(&n); err != nil || n != 1 {
			t.Errorf("apps = %d, %v; want 1", n, err)
		}
	})
}
