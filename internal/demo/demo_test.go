package demo_test

import (
	"errors"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestSeeded tells a fresh database, the demo's and another platform's
// apart: the demo must not add its data to another platform's database.
func TestSeeded(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	t.Run("demo", func(t *testing.T) {
		sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
			ctx := t.Context()
			if seeded, err := demo.Seeded(ctx, db); seeded || err != nil {
				t.Errorf("fresh database: seeded %v, %v; want false, nil", seeded, err)
			}
			if _, err := demo.Seed(ctx, db, now); err != nil {
				t.Fatal(err)
			}
			if seeded, err := demo.Seeded(ctx, db); !seeded || err != nil {
				t.Errorf("demo database: seeded %v, %v; want true, nil", seeded, err)
			}
		})
	})
	t.Run("other platform", func(t *testing.T) {
		sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
			ctx := t.Context()
			by := audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"}
			err := db.Tx(ctx, func(tx *sqldb.Tx) error {
				if err := org.CreateRegion(ctx, tx, by, &org.Region{Code: "350000", Name: "福建省", Level: org.Province}, now); err != nil {
					return err
				}
				return org.CreateDepartment(ctx, tx, by, &org.Department{Name: "福建省大数据管理局", USCC: demo.USCC("350000", 1), RegionCode: "350000"}, now)
			})
			if err != nil {
				t.Fatal(err)
			}
			if seeded, err := demo.Seeded(ctx, db); seeded || !errors.Is(err, demo.ErrNotDemo) {
				t.Errorf("another platform's database: seeded %v, %v; want false, ErrNotDemo", seeded, err)
			}
		})
	})
}

// TestAccounts: the demo has an account of every duty, a reviewer of the
// platform operator's department (who reviews the catalog) as well as
// departments' reviewers, and lists only the accounts its database holds:
// one made before an account was added to the demo lacks it.
func TestAccounts(t *testing.T) {
	eachSeeded(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		accounts, err := demo.Accounts(ctx, db.Read())
		if err != nil {
			t.Fatal(err)
		}
		var platformReviewer string
		for _, a := range accounts {
			u, err := org.UserByName(ctx, db.Read(), a.Username)
			if err != nil {
				t.Fatalf("account %s: %v", a.Username, err)
			}
			d, err := org.DepartmentByID(ctx, db.Read(), u.DepartmentID)
			if err != nil || d.Name != a.Department || u.Role != a.Role {
				t.Errorf("account %s listed as %s of %s, is %s of %s (%v)", a.Username, a.Role, a.Department, u.Role, d.Name, err)
			}
			if u.Role == org.Reviewer && d.IsOperator {
				platformReviewer = a.Username
			}
		}
		if platformReviewer != "reviewer" {
			t.Errorf("the platform's reviewer: %q, want reviewer", platformReviewer)
		}
		if _, err := db.Write().ExecContext(ctx, `DELETE FROM users WHERE username = 'reviewer'`); err != nil {
			t.Fatal(err)
		}
		after, err := demo.Accounts(ctx, db.Read())
		if err != nil || len(after) != len(accounts)-1 {
			t.Errorf("accounts of a database without reviewer: %d (%v), want %d", len(after), err, len(accounts)-1)
		}
	})
}
