package org_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDepartmentsCustomPlansOnce: a transaction creating departments has
// PostgreSQL plan its queries for their values (plan_cache_mode =
// force_custom_plan) once, at its first check of names, not at every
// department's: set back to auto after the first, the setting stays so
// through the second. Before, every check of names sent the SET again
// (a transaction creating 1,000 departments sent it 1,000 times). On
// SQLite, which has no such setting, both are created.
func TestDepartmentsCustomPlansOnce(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		seed(t, db)
		var mode string
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			for i, name := range []string{"佛山市南海区民政局", "佛山市南海区档案馆"} {
				d := org.Department{Name: name, RegionCode: "440605", USCC: demo.USCC("440605", 1+i)}
				if err := org.CreateDepartment(ctx, tx, admin, &d, t0); err != nil {
					return err
				}
				if tx.Dialect != sqldb.Postgres {
					continue
				}
				if i == 0 {
					if _, err := tx.ExecContext(ctx, `SET LOCAL plan_cache_mode = auto`); err != nil {
						return err
					}
				} else if err := tx.QueryRowContext(ctx, `SHOW plan_cache_mode`).Scan(&mode); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if db.Dialect == sqldb.Postgres && mode != "auto" {
			t.Errorf("plan_cache_mode after the second department: %q; want auto (set once, by the first)", mode)
		}
	})
}
