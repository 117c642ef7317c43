package org_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDepartmentNameConfusable: a department's name or short name that
// another department has as its short name (a short name but for one in
// another region that is exactly the same: TestDepartmentShortNameShared),
// or a short name that is another's name, is refused on creation and on
// change, 409
// department_name_confusable beside its field, naming the other
// department, and nothing is stored: DepartmentsNamed finds a department by
// either, and a new 区民政局 would have been taken for 佛山市南海区民政局,
// whose short name it is. A name another department has in another region
// is still accepted (refused as ambiguous where typed); a department's
// short name may be its own name; a change that keeps a name or short name
// does not check it. On both engines.
func TestDepartmentNameConfusable(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		seed(t, db)
		n := 0
		create := func(name, short, region string) (org.Department, error) {
			n++
			d := org.Department{Name: name, ShortName: short, RegionCode: region, USCC: demo.USCC("440605", n)}
			err := db.Tx(ctx, func(tx *sqldb.Tx) error { return org.CreateDepartment(ctx, tx, admin, &d, t0) })
			return d, err
		}
		update := func(id int64, c org.DepartmentChange) error {
			return db.Tx(ctx, func(tx *sqldb.Tx) error {
				_, err := org.UpdateDepartment(ctx, tx, admin, id, c, t0)
				return err
			})
		}
		count := func() int {
			var c int
			if err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM departments`).Scan(&c); err != nil {
				t.Fatal(err)
			}
			return c
		}
		refused := func(what string, err error, field, other string) {
			t.Helper()
			e := errs.As(err)
			if e == nil || e.Code != "department_name_confusable" || e.Kind.HTTPStatus() != http.StatusConflict || e.Field != field ||
				!strings.Contains(e.Message, "“"+other+"”") {
				t.Errorf("%s: %v; want 409 department_name_confusable on %s naming %s", what, err, field, other)
			}
		}
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			return org.CreateRegion(ctx, tx, admin, &org.Region{Code: "440606", Name: "顺德区", Level: org.District, ParentCode: "440000"}, t0)
		}); err != nil {
			t.Fatal(err)
		}
		mz, err := create("佛山市南海区民政局", "区民政局", "440605")
		if err != nil {
			t.Fatal(err)
		}
		before := count()
		_, err = create("区民政局", "", "440606")
		refused("a name that is another's short name", err, "name", mz.Name)
		_, err = create("佛山市顺德区民政局", "区（民政局）", "440606")
		refused("a short name that looks like another's short name", err, "short_name", mz.Name)
		_, err = create("顺德民政", "佛山市南海区民政局", "440606")
		refused("a short name that is another's name", err, "short_name", mz.Name)
		if got := count(); got != before {
			t.Errorf("%d departments after the refusals, want %d", got, before)
		}

		same, err := create("佛山市南海区民政局", "", "440606") // another region
		if err != nil {
			t.Fatalf("a name of another region: %v", err)
		}
		own, err := create("顺德区档案馆", "顺德区档案馆", "440606")
		if err != nil {
			t.Fatalf("a short name that is its own name: %v", err)
		}

		short := func(s string) *string { return &s }
		refused("rename to another's short name",
			update(own.ID, org.DepartmentChange{Name: "区民政局", USCC: own.USCC}), "name", mz.Name)
		refused("a short name looking like another's",
			update(own.ID, org.DepartmentChange{Name: own.Name, ShortName: short("区 民政局"), USCC: own.USCC}), "short_name", mz.Name)
		refused("a short name that is another's name",
			update(mz.ID, org.DepartmentChange{Name: mz.Name, ShortName: short("顺德区档案馆"), USCC: mz.USCC}), "short_name", own.Name)
		if got, err := org.DepartmentByID(ctx, db.Read(), own.ID); err != nil || got.Name != own.Name || got.ShortName != own.ShortName {
			t.Errorf("after refused changes: %+v, %v; want it as created", got, err)
		}
		if err := update(mz.ID, org.DepartmentChange{Name: mz.Name, ShortName: short("南海民政"), USCC: mz.USCC}); err != nil {
			t.Errorf("a short name of no other: %v", err)
		}
		if err := update(same.ID, org.DepartmentChange{Name: same.Name, ShortName: short("区民政局"), USCC: same.USCC}); err != nil {
			t.Errorf("the short name given up by its department: %v", err)
		}

		// A short name stored before the check (legacyShortName) keeps
		// no change of its department's other fields from going in.
		legacyShortName(t, db, own.ID, "区民政局")
		if err := update(own.ID, org.DepartmentChange{Name: "顺德区档案局", USCC: own.USCC}); err != nil {
			t.Errorf("rename of a department whose stored short name is another's: %v", err)
		}
	})
}

// TestDepartmentNameConfusableConcurrently: two departments created at
// once, one named as the other's short name, are not both stored: the
// second waits for the first (on PostgreSQL at the lock of departments'
// names, which the first holds until it commits; on SQLite for the one
// writer) and is refused. On both engines.
func TestDepartmentNameConfusableConcurrently(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		seed(t, db)
		err := whileCreating(t, db, "the second creation never waited for the first", func(tx *sqldb.Tx) error {
			d := org.Department{Name: "区民政局", RegionCode: "440605", USCC: demo.USCC("440605", 2)}
			return org.CreateDepartment(ctx, tx, admin, &d, t0)
		})
		if code(err) != "department_name_confusable" {
			t.Errorf("second creation: %v; want department_name_confusable", err)
		}
	})
}

// whileCreating creates 佛山市南海区民政局 (short name 区民政局, of 440605)
// in a transaction that, before it commits, starts second in another; on
// PostgreSQL it waits for second to wait for a lock it holds, failing the
// test with waited if it never does. It returns second's error.
func whileCreating(t *testing.T, db *sqldb.DB, waited string, second func(tx *sqldb.Tx) error) error {
	t.Helper()
	ctx := context.Background()
	done := make(chan error, 1)
	err := db.Tx(ctx, func(tx *sqldb.Tx) error {
		d := org.Department{Name: "佛山市南海区民政局", ShortName: "区民政局", RegionCode: "440605", USCC: demo.USCC("440605", 1)}
		if err := org.CreateDepartment(ctx, tx, admin, &d, t0); err != nil {
			return err
		}
		go func() { done <- db.Tx(ctx, second) }()
		if db.Dialect == sqldb.Postgres {
			sqldbtest.AwaitLockWait(t, db, waited)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return <-done
}

// TestDepartmentNameConfusableMessage: a name refused for another's that
// it differs from in the writing of a character text.NameKey folds (℃ for
// °C, a superscript digit) says so: the message names the difference as
// the same-looking name, not as spaces, punctuation, brackets or width
// alone. On both engines.
func TestDepartmentNameConfusableMessage(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		seed(t, db)
		n := 0
		create := func(name string) error {
			n++
			d := org.Department{Name: name, RegionCode: "440605", USCC: demo.USCC("440605", n)}
			return db.Tx(ctx, func(tx *sqldb.Tx) error { return org.CreateDepartment(ctx, tx, admin, &d, t0) })
		}
		for _, names := range [][2]string{{"南海区°C恒温仓库", "南海区℃恒温仓库"}, {"南海区2号楼管理处", "南海区²号楼管理处"}} {
			if err := create(names[0]); err != nil {
				t.Fatal(err)
			}
			err := create(names[1])
			e := errs.As(err)
			if e == nil || e.Code != "department_name_confusable" || !strings.Contains(e.Message, "“"+names[0]+"”看起来相同") ||
				!strings.Contains(e.Message, "同一字符的不同写法") {
				t.Errorf("%s beside %s: %v; want department_name_confusable saying they look the same, a character written otherwise",
					names[1], names[0], err)
			}
		}
	})
}
