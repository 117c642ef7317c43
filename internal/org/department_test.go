package org_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestUpdateDepartmentConcurrent: a rename that waits for another one to
// commit names the name that one stored as the old one in its audit row,
// not the name both read first (PostgreSQL's READ COMMITTED would let it
// read the row before the other's change and write after it), and a rename
// back to the first name is a change, not "nothing changed". On SQLite the
// second transaction waits for the first as a whole. On both engines.
func TestUpdateDepartmentConcurrent(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		d, _ := seed(t, db)
		first := d.Name
		held, release, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
		go func() {
			done <- db.Tx(ctx, func(tx *sqldb.Tx) error {
				if _, err := org.UpdateDepartment(ctx, tx, admin, d.ID, org.DepartmentChange{Name: "改名一", USCC: d.USCC}, t0); err != nil {
					return err
				}
				close(held)
				<-release
				return nil
			})
		}()
		<-held
		second := make(chan error, 1)
		go func() {
			second <- db.Tx(ctx, func(tx *sqldb.Tx) error {
				_, err := org.UpdateDepartment(ctx, tx, admin, d.ID, org.DepartmentChange{Name: first, USCC: d.USCC}, t0)
				return err
			})
		}()
		time.Sleep(300 * time.Millisecond) // the second reads (or waits) while the first holds its change
		close(release)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if err := <-second; err != nil {
			t.Fatal(err)
		}
		got, err := org.DepartmentByID(ctx, db.Read(), d.ID)
		if err != nil || got.Name != first {
			t.Fatalf("department after both renames: %+v %v, want %s", got, err, first)
		}
		rows, _, err := audit.List(ctx, db.Read(), audit.Filter{Action: "department.update"})
		if err != nil {
			t.Fatal(err)
		}
		var olds []string
		for _, r := range rows {
			var detail struct {
				Name    string `json:"name"`
				OldName string `json:"old_name"`
			}
			if err := json.Unmarshal([]byte(r.Detail), &detail); err != nil {
				t.Fatal(err)
			}
			olds = append(olds, detail.OldName+"→"+detail.Name)
		}
		want := []string{"改名一→" + first, first + "→改名一"} // newest first
		if len(olds) != 2 || olds[0] != want[0] || olds[1] != want[1] {
			t.Errorf("department.update rows: %q, want %q", olds, want)
		}
	})
}

// TestDepartmentParentsConcurrent: two transactions that make each of two
// departments the other's parent do not both commit (a loop that would
// fail every later walk of the chain): the second waits for the first (on
// PostgreSQL for the hierarchy lock the first holds until it commits; on
// SQLite for the one writer) and is refused parent_cycle. On both engines.
func TestDepartmentParentsConcurrent(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		a, _ := seed(t, db)
		b := org.Department{Name: "佛山市南海区民政局", RegionCode: "440605", USCC: demo.USCC("440605", 1)}
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error { return org.CreateDepartment(ctx, tx, admin, &b, t0) }); err != nil {
			t.Fatal(err)
		}
		second := make(chan error, 1)
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			if _, err := org.UpdateDepartment(ctx, tx, admin, a.ID, org.DepartmentChange{Name: a.Name, USCC: a.USCC, ParentID: &b.ID}, t0); err != nil {
				return err
			}
			go func() {
				second <- db.Tx(ctx, func(tx *sqldb.Tx) error {
					_, err := org.UpdateDepartment(ctx, tx, admin, b.ID, org.DepartmentChange{Name: b.Name, USCC: b.USCC, ParentID: &a.ID}, t0)
					return err
				})
			}()
			if db.Dialect == sqldb.Postgres {
				sqldbtest.AwaitLockWait(t, db, "the second parent change never waited for the first")
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := <-second; code(err) != "parent_cycle" {
			t.Errorf("second parent change: %v; want parent_cycle", err)
		}
		got, err := org.DepartmentByID(ctx, db.Read(), b.ID)
		if err != nil || got.ParentID != 0 {
			t.Errorf("department B after both: %+v %v; want no parent", got, err)
		}
	})
}

// TestDepartmentRegionConcurrent: a department created under a parent
// while the parent moves to another region is checked against the region
// the parent moved to, not the one it had (checkParentRegion and
// checkChildrenRegions each seeing the other's change only after it
// commits). On both engines.
func TestDepartmentRegionConcurrent(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		p, _ := seed(t, db)
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			r := org.Region{Code: "440600", Name: "佛山市", Level: org.City, ParentCode: "440000"}
			return org.CreateRegion(ctx, tx, admin, &r, t0)
		})
		if err != nil {
			t.Fatal(err)
		}
		// The parent sits in 广东省, then moves to 佛山市 while a
		// department of 广东省 is created under it.
		province := "440000"
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := org.UpdateDepartment(ctx, tx, admin, p.ID, org.DepartmentChange{Name: p.Name, USCC: p.USCC, RegionCode: &province}, t0)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		city := "440600"
		second := make(chan error, 1)
		err = db.Tx(ctx, func(tx *sqldb.Tx) error {
			if _, err := org.UpdateDepartment(ctx, tx, admin, p.ID, org.DepartmentChange{Name: p.Name, USCC: p.USCC, RegionCode: &city}, t0); err != nil {
				return err
			}
			go func() {
				second <- db.Tx(ctx, func(tx *sqldb.Tx) error {
					c := org.Department{Name: "广东省民政厅", RegionCode: "440000", USCC: demo.USCC("440000", 1), ParentID: p.ID}
					return org.CreateDepartment(ctx, tx, admin, &c, t0)
				})
			}()
			if db.Dialect == sqldb.Postgres {
				sqldbtest.AwaitLockWait(t, db, "the creation never waited for the parent's move")
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := <-second; code(err) != "parent_region_mismatch" {
			t.Errorf("child created under a parent moving to %s: %v; want parent_region_mismatch", city, err)
		}
	})
}
