package org_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/org/orgtest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

func TestKeys(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) { sqldbtest.CheckKeys(t, db, org.Keys...) })
}

// TestRegionExists: a region's code is its primary key, and taken, a
// duplicate.
func TestRegionExists(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		seed(t, db)
		err := db.Tx(context.Background(), func(tx *sqldb.Tx) error {
			return org.CreateRegion(context.Background(), tx, admin, &org.Region{Code: "440605", Name: "南海区", Level: org.District, ParentCode: "440000"}, t0)
		})
		if got := code(err); got != "region_exists" {
			t.Errorf("a region code taken: %s, want region_exists", got)
		}
	})
}

// TestIDBehindRows: with a row already holding the id a department, user
// or app would be given next (the id sequence behind the rows, as after a
// PostgreSQL restore without the sequences' values), creating one is an
// internal error naming the primary key, not a refusal as a duplicate; a
// real duplicate still is one. SQLite gives a new row the highest id plus
// one, which never collides: there the create succeeds.
func TestIDBehindRows(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		d, _ := seed(t, db)
		// ahead inserts a row of table with the id its next row would be
		// given, through insert ($1 the id).
		ahead := func(table, insert string) {
			t.Helper()
			next := `(SELECT max(id) + 1 FROM ` + table + `)`
			if db.Dialect == sqldb.Postgres {
				seq := `pg_get_serial_sequence('` + table + `', 'id')`
				next = `setval(` + seq + `, nextval(` + seq + `), false)`
			}
			if _, err := db.Write().ExecContext(ctx, strings.Replace(insert, "$1", next, 1)); err != nil {
				t.Fatal(err)
			}
		}
		tests := []struct {
			table, insert string
			create        func(tx *sqldb.Tx, dup bool) error
			exists        string
		}{
			{"departments", `INSERT INTO departments (id, name, uscc, region_code, created_at)
				VALUES ($1, '南海区民政局', '11440605MB2C9235XX', '440605', CURRENT_TIMESTAMP)`,
				func(tx *sqldb.Tx, dup bool) error {
					nd := org.Department{Name: "南海区教育局", USCC: "12440605MB2C92360N", RegionCode: "440605"}
					if dup {
						nd.Name = "南海区民政局"
					}
					return org.CreateDepartment(ctx, tx, admin, &nd, t0)
				}, "department_exists"},
			{"users", `INSERT INTO users (id, username, display_name, department_id, role, password_hash, created_at,
				password_changed_at) VALUES ($1, 'nh.one', '甲', ` + strconv.FormatInt(d.ID, 10) + `, 'reviewer', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
				func(tx *sqldb.Tx, dup bool) error {
					nu := org.NewUser{Username: "nh.two", DisplayName: "乙", DepartmentID: d.ID, Role: org.Reviewer, Password: password}
					if dup {
						nu.Username = "nh.one"
					}
					_, err := orgtest.CreateUser(ctx, tx, admin, nu, t0)
					return err
				}, "username_taken"},
			{"apps", `INSERT INTO apps (id, name, department_id, scopes, created_at)
				VALUES ($1, '审批', ` + strconv.FormatInt(d.ID, 10) + `, 'catalog.read', CURRENT_TIMESTAMP)`,
				func(tx *sqldb.Tx, dup bool) error {
					na := org.NewApp{Name: "查询", DepartmentID: d.ID, Scopes: []string{"catalog.read"}}
					if dup {
						na.Name = "审批"
					}
					_, _, err := org.CreateApp(ctx, tx, admin, na, t0)
					return err
				}, "app_exists"},
		}
		for _, tt := range tests {
			t.Run(tt.table, func(t *testing.T) {
				ahead(tt.table, tt.insert)
				err := db.Tx(ctx, func(tx *sqldb.Tx) error { return tt.create(tx, false) })
				switch got := code(err); {
				case db.Dialect == sqldb.SQLite && err != nil:
					t.Errorf("create: %v, want it created past the highest id", err)
				case db.Dialect == sqldb.Postgres && !(strings.HasPrefix(got, "internal: ") && strings.Contains(got, tt.table+"_pkey")):
					t.Errorf("create with the id taken: %s, want an internal error naming %s_pkey", got, tt.table)
				}
				if got := code(db.Tx(ctx, func(tx *sqldb.Tx) error { return tt.create(tx, true) })); got != tt.exists {
					t.Errorf("duplicate: %s, want %s", got, tt.exists)
				}
			})
		}
	})
}
