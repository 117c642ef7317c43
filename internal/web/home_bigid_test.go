package web_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/org/orgtest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestHomeLargeDepartmentID: the home page of an account whose department
// id is beyond 32 bits counts its department, on both engines; PostgreSQL
// typed the department parameter int4 and the page failed.
func TestHomeLargeDepartmentID(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		by := audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"}
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO departments (id, name, short_name, uscc, region_code, created_at)
				VALUES (3000000000, '佛山市南海区民政局', '民政局', $1, '440605', $2)`, uscc(t, "MB2E8888"), f.clock.Now().UTC()); err != nil {
				return err
			}
			_, err := orgtest.CreateUser(ctx, tx, by, org.NewUser{Username: "civil.admin", DisplayName: "钱管理",
				DepartmentID: 3000000000, Role: org.DeptAdmin, Password: password}, f.clock.Now())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		c := f.loggedIn(t, "civil.admin")
		r := c.get("/")
		if r.Status != 200 {
			t.Fatalf("home of department 3000000000: got %d, want 200\n%s", r.Status, r.Body)
		}
		wantBody(t, "home of department 3000000000", r, `<div class="stat-value">1</div>`, "本部门账号")
	})
}
