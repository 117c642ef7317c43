package org_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/text"
)

// rekeyed has the keys of the departments' names a test wrote with SQL, as
// a database of an older release holds them, written as the upgrade's
// hutong migrate or the server's start writes them (org.RekeyDepartments).
func rekeyed(t *testing.T, db *sqldb.DB) {
	t.Helper()
	if _, err := org.RekeyDepartments(context.Background(), db); err != nil {
		t.Fatal(err)
	}
}

// errRolledBack is createRolledBack's answer when the department was
// created.
var errRolledBack = errors.New("created, rolled back")

// createRolledBack creates d as admin at t0 and rolls it back, answering
// errRolledBack when it was created, so that the checks of several names
// stay apart.
func createRolledBack(ctx context.Context, db *sqldb.DB, d org.Department) error {
	return db.Tx(ctx, func(tx *sqldb.Tx) error {
		if err := org.CreateDepartment(ctx, tx, admin, &d, t0); err != nil {
			return err
		}
		return errRolledBack
	})
}

// lookalike is a department named (name, short) like another's name or
// short name, which must be refused as department_name_confusable on
// field, naming other.
type lookalike struct{ what, name, short, field, other string }

func (c lookalike) refused(t *testing.T, err error) {
	t.Helper()
	if e := errs.As(err); e == nil || e.Code != "department_name_confusable" || e.Field != c.field {
		t.Errorf("%s (%s, %s): %v; want department_name_confusable on %s", c.what, c.name, c.short, err, c.field)
	} else if want := "“" + c.other + "”"; !strings.Contains(e.Message, want) {
		t.Errorf("%s: %q does not name %s", c.what, e.Message, c.other)
	}
}

// TestRekeyDepartments: departments whose stored name keys are stale (as
// migration 0045 leaves them, their names, or made by an older folding)
// get text.NameKey of their names and short names from
// RekeyDepartments, which says how many it changed, reading one
// department a transaction here; a second run changes nothing. Before it,
// the check of new names, which reads the stored keys, misses them; after
// it, a name or short name looking like theirs is refused again in each
// direction (name and short name against name and short name), and a
// department typed so is found. On both engines.
func TestRekeyDepartments(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		seed(t, db)
		org.SetRekeyChunk(t, 1)
		create := departmentCreator(db, 0)
		mz, err := create("佛山市南海区（民政局）", "区（民政局）")
		if err != nil {
			t.Fatal(err)
		}
		da, err := create("佛山市南海区档案馆", "区档案馆")
		if err != nil {
			t.Fatal(err)
		}
		sqldbtest.Exec(t, db, `UPDATE departments SET name_key = name, short_name_key = short_name WHERE id = $1`,
			mz.ID)
		sqldbtest.Exec(t, db, `UPDATE departments SET name_key = 'old', short_name_key = '' WHERE id = $1`,
			da.ID)

		// Missed before: a department of a name looking like a stale one
		// is created (and rolled back).
		d := org.Department{Name: "佛山市南海区(民政局)", RegionCode: "440605", USCC: demo.USCC("440605", 99)}
		if err := createRolledBack(ctx, db, d); err != errRolledBack {
			t.Fatalf("a name looking like a department's of a stale key, before the rekey: %v; want it missed", err)
		}

		changed, err := org.RekeyDepartments(ctx, db)
		if err != nil || changed != 2 {
			t.Fatalf("RekeyDepartments: %d changed, %v; want 2", changed, err)
		}
		for _, d := range []org.Department{mz, da} {
			var key, short string
			if err := db.Read().QueryRowContext(ctx, `SELECT name_key, short_name_key FROM departments WHERE id = $1`,
				d.ID).Scan(&key, &short); err != nil {
				t.Fatal(err)
			}
			if key != text.NameKey(d.Name) || short != text.NameKey(d.ShortName) {
				t.Errorf("keys of %s after RekeyDepartments: %q, %q; want %q, %q", d.Name, key, short,
					text.NameKey(d.Name), text.NameKey(d.ShortName))
			}
		}
		if changed, err := org.RekeyDepartments(ctx, db); err != nil || changed != 0 {
			t.Errorf("second RekeyDepartments: %d changed, %v; want 0", changed, err)
		}

		for _, c := range []lookalike{
			{"a name looking like another's name", "佛山市南海区(民政局)", "", "name", mz.Name},
			{"a name looking like another's short name", "区 档案馆", "", "name", da.Name},
			{"a short name looking like another's name", "南海档案", "佛山市南海区 档案馆", "short_name", da.Name},
			{"a short name looking like another's short name", "南海民政", "区(民政局)", "short_name", mz.Name},
		} {
			_, err := create(c.name, c.short)
			c.refused(t, err)
		}
		if got, err := org.DepartmentByRef(ctx, db.Read(), "佛山市南海区 档案馆"); err != nil || got.ID != da.ID {
			t.Errorf("DepartmentByRef(佛山市南海区 档案馆) = %d, %v; want %d", got.ID, err, da.ID)
		}
	})
}
