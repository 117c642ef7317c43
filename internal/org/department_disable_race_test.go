package org_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/org/orgtest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDepartmentDisableRaces: an account created, an app created or an
// account re-enabled in a department while it is being disabled either
// is seen by the disable (and disabled or revoked with the rest) or waits
// for it and is refused (department_disabled): a disabled department
// never keeps an enabled account or an active app. Each runs once before
// the disable, held open until the disable waits, and once after it, the
// disable held open until it waits.
func TestDepartmentDisableRaces(t *testing.T) {
	type op func(ctx context.Context, tx *sqldb.Tx) error
	// Each makes, for department d with account u, the change that races
	// the disable, preparing it first when it needs to.
	ops := map[string]func(t *testing.T, db *sqldb.DB, d org.Department, u org.User) op{
		"create user": func(t *testing.T, db *sqldb.DB, d org.Department, u org.User) op {
			return func(ctx context.Context, tx *sqldb.Tx) error {
				_, err := orgtest.CreateUser(ctx, tx, admin, org.NewUser{Username: u.Username + ".race", DisplayName: "并发账号",
					DepartmentID: d.ID, Role: org.Reviewer, Password: password}, t0)
				return err
			}
		},
		"create app": func(t *testing.T, db *sqldb.DB, d org.Department, u org.User) op {
			return func(ctx context.Context, tx *sqldb.Tx) error {
				_, _, err := org.CreateApp(ctx, tx, admin, org.NewApp{Name: "并发应用", DepartmentID: d.ID, Scopes: []string{"data.read"}}, t0)
				return err
			}
		},
		"enable user": func(t *testing.T, db *sqldb.DB, d org.Department, u org.User) op {
			if err := db.Tx(context.Background(), func(tx *sqldb.Tx) error {
				_, err := org.SetDisabledIf(context.Background(), tx, admin, u.ID, true, nil, t0)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return func(ctx context.Context, tx *sqldb.Tx) error {
				_, err := org.SetDisabledIf(ctx, tx, admin, u.ID, false, nil, t0)
				return err
			}
		},
	}
	disable := func(d org.Department) op {
		return func(ctx context.Context, tx *sqldb.Tx) error {
			_, err := org.SetDepartmentDisabled(ctx, tx, admin, d.ID, true, nil, t0)
			return err
		}
	}
	for name, makeOp := range ops {
		t.Run(name, func(t *testing.T) {
			sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
				ctx := context.Background()
				check := func(t *testing.T, d org.Department) {
					t.Helper()
					got, err := org.DepartmentByID(ctx, db.Read(), d.ID)
					if err != nil {
						t.Fatal(err)
					}
					reach, err := org.ReachOf(ctx, db.Read(), d.ID)
					if err != nil {
						t.Fatal(err)
					}
					if !got.Disabled || reach != (org.DepartmentReach{}) {
						t.Errorf("department disabled %v with %d enabled accounts and %d active apps; want disabled with none",
							got.Disabled, reach.Users, reach.Apps)
					}
				}
				seed(t, db)
				d, u, _, _ := seedOther(t, db)
				t.Run("change first", func(t *testing.T) {
					opErr, disErr := sqldbtest.Race(t, db, makeOp(t, db, d, u), disable(d))
					if opErr != nil || disErr != nil {
						t.Fatalf("%s: %v; disable: %v; want both to succeed", name, opErr, disErr)
					}
					check(t, d)
				})
				d2 := org.Department{Name: "南海区民政局", USCC: "11440605MB2C92658X", RegionCode: "440605"}
				var u2 org.User
				if err := db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
					if err := org.CreateDepartment(ctx, tx, admin, &d2, t0); err != nil {
						return err
					}
					u2, err = orgtest.CreateUser(ctx, tx, admin, org.NewUser{Username: "mzj.admin",
						DisplayName: "民政管理员", DepartmentID: d2.ID, Role: org.DeptAdmin, Password: password}, t0)
					return err
				}); err != nil {
					t.Fatal(err)
				}
				t.Run("disable first", func(t *testing.T) {
					disErr, opErr := sqldbtest.Race(t, db, disable(d2), makeOp(t, db, d2, u2))
					if disErr != nil {
						t.Fatalf("disable: %v", disErr)
					}
					if e := errs.As(opErr); e == nil || e.Code != "department_disabled" {
						t.Errorf("%s after the disable: %v; want department_disabled", name, opErr)
					}
					check(t, d2)
				})
			})
		})
	}
}
