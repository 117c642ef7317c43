package org_test

import (
	"context"
	"errors"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestUpdateDepartmentShortName: a change that gives a short name stores it
// trimmed and audits the old and new one; one that leaves it out keeps it; a
// blank one removes it; one that cannot be stored is refused beside its
// field and changes nothing. On both engines.
func TestUpdateDepartmentShortName(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		d, _ := seed(t, db)
		update := func(c org.DepartmentChange) (org.Department, error) {
			var got org.Department
			err := db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
				got, err = org.UpdateDepartment(ctx, tx, admin, d.ID, c, t0)
				return err
			})
			return got, err
		}
		stored := func() string {
			got, err := org.DepartmentByID(ctx, db.Read(), d.ID)
			if err != nil {
				t.Fatal(err)
			}
			return got.ShortName
		}
		short := func(s string) *string { return &s }

		got, err := update(org.DepartmentChange{Name: d.Name, ShortName: short(" 南海公安 "), USCC: d.USCC})
		if err != nil || got.ShortName != "南海公安" || stored() != "南海公安" {
			t.Fatalf("set short name: %+v %v, stored %q; want 南海公安", got, err, stored())
		}
		rows, _, err := audit.List(ctx, db.Read(), audit.Filter{Action: "department.update"})
		if err != nil || len(rows) != 1 || rows[0].Detail != `{"old_short_name":"`+d.ShortName+`","short_name":"南海公安"}` {
			t.Fatalf("audit rows %+v %v", rows, err)
		}

		if _, err := update(org.DepartmentChange{Name: "南海区公安分局（新）", USCC: d.USCC}); err != nil || stored() != "南海公安" {
			t.Errorf("rename without a short name: %v, short name stored %q, want it kept", err, stored())
		}

		_, err = update(org.DepartmentChange{Name: d.Name, ShortName: short("南海\x07公安"), USCC: d.USCC})
		if e := (*errs.Error)(nil); !errors.As(err, &e) || e.Field != "short_name" || e.Kind != errs.Invalid {
			t.Errorf("control character: %v, want a short_name field error", err)
		}
		if got, _ := org.DepartmentByID(ctx, db.Read(), d.ID); got.Name != "南海区公安分局（新）" || got.ShortName != "南海公安" {
			t.Errorf("refused change stored %+v", got)
		}

		if _, err := update(org.DepartmentChange{Name: d.Name, ShortName: short("  "), USCC: d.USCC}); err != nil || stored() != "" {
			t.Errorf("blank short name: %v, stored %q, want none", err, stored())
		}
	})
}
