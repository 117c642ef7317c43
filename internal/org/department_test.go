package org_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
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
