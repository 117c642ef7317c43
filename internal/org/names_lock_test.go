package org_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDepartmentShortNameMovedConcurrently: a department moved into a
// region while another department of that region is created with the
// same short name is not stored beside it: the move waits for the
// creation (on PostgreSQL at the lock of departments' names, which the
// creation holds until it commits; on SQLite for the one writer) and is
// refused on its short name. The move checks its short name only
// (checkShortNameInRegion), after the lock of the hierarchy, which a
// creation without a parent does not take. On both engines.
func TestDepartmentShortNameMovedConcurrently(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		seed(t, db)
		moved := org.Department{Name: "佛山市顺德区民政局", ShortName: "区民政局", RegionCode: "440606", USCC: demo.USCC("440606", 1)}
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			r := org.Region{Code: "440606", Name: "顺德区", Level: org.District, ParentCode: "440000"}
			if err := org.CreateRegion(ctx, tx, admin, &r, t0); err != nil {
				return err
			}
			return org.CreateDepartment(ctx, tx, admin, &moved, t0)
		}); err != nil {
			t.Fatal(err)
		}
		err := whileCreating(t, db, "the move never waited for the creation", func(tx *sqldb.Tx) error {
			region := "440605"
			_, err := org.UpdateDepartment(ctx, tx, admin, moved.ID, org.DepartmentChange{Name: moved.Name,
				USCC: moved.USCC, RegionCode: &region}, t0)
			return err
		})
		if e := errs.As(err); e == nil || e.Kind != errs.Conflict || e.Field != "short_name" {
			t.Errorf("move: %v; want a conflict on short_name", e)
		}
		var n int
		if err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM departments WHERE region_code = '440605'
			AND short_name = '区民政局'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("%d departments of 440605 with the short name 区民政局, want 1", n)
		}
	})
}
