package org_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRekeyDepartmentsNothingStale: a pass of RekeyDepartments over
// departments whose keys are all fresh, a chunk of one at a time, takes
// no write transaction: it completes, changing nothing, while another
// transaction holds SQLite's one writer (on PostgreSQL, a lock on
// departments that an update of them would wait for), without waiting.
// Before, every chunk was read in a write transaction, which on SQLite
// held the writer at every hourly pass (here: waited for it).
func TestRekeyDepartmentsNothingStale(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		seed(t, db)
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			for i, name := range []string{"佛山市南海区民政局", "佛山市南海区档案馆"} {
				d := org.Department{Name: name, ShortName: "区" + name[len("佛山市南海区"):], RegionCode: "440605", USCC: demo.USCC("440605", 1+i)}
				if err := org.CreateDepartment(ctx, tx, admin, &d, t0); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		org.SetRekeyChunk(t, 1)

		var r struct {
			n   int
			err error
		}
		waited, err := sqldbtest.WaitsForWriter(t, db, "departments", func() (err error) {
			r.n, err = org.RekeyDepartments(ctx, db)
			return err
		})
		if waited {
			t.Error("RekeyDepartments with nothing stale waited for a write transaction")
		}
		r.err = err
		if r.err != nil || r.n != 0 {
			t.Errorf("RekeyDepartments with nothing stale: %d changed, %v; want 0", r.n, r.err)
		}
	})
}
