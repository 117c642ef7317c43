package catalog_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/catalog/catalogtest"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

func TestRegistrationRoundTrip(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		corpus(t, w)
		create(t, w, w.gaj, household()) // drafts are not registered
		reg, err := catalog.Export(ctx, db.Read(), 0, t0)
		if err != nil {
			t.Fatal(err)
		}
		if len(reg.Entries) != 6 || reg.Entries[0].Provider.USCC == "" || reg.Entries[0].Provider.RegionCode != "440605" {
			t.Fatalf("export: %d entries, first %+v", len(reg.Entries), reg.Entries[0].Provider)
		}

		// The city platform knows the region but none of the district's departments.
		city := sqldbtest.SQLite(t)
		if db.Dialect == sqldb.Postgres {
			city = sqldbtest.Postgres(t)
		}
		op := cityOperator(t, city)
		var res catalog.ImportResult
		importReg := func(reg catalog.Registration) error {
			return city.Tx(ctx, func(tx *sqldb.Tx) (err error) {
				res, err = catalog.Import(ctx, tx, op, reg, t0)
				return err
			})
		}
		wantKind(t, "import by a department", city.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := catalog.Import(ctx, tx, catalog.Actor{Editor: true}, reg, t0)
			return err
		}), errs.Forbidden)
		if err := importReg(reg); err != nil {
			t.Fatal(err)
		}
		if res.Created != 6 || len(res.Departments) != 2 {
			t.Errorf("import: %+v", res)
		}
		again, err := catalog.Export(ctx, city.Read(), 0, t0)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(reg, again); diff != "" {
			t.Errorf("export → import → export differs (-district +city):\n%s", diff)
		}

		// Re-import: unchanged entries stay, changed ones get a new version.
		reg.Entries[0].Resource.Abstract += "（修订）"
		if err := importReg(reg); err != nil {
			t.Fatal(err)
		}
		if res.Updated != 1 || res.Unchanged != 5 {
			t.Errorf("re-import: %+v", res)
		}
		e, err := catalog.ByCode(ctx, city.Read(), op, reg.Entries[0].Code)
		if err != nil || e.Version != 2 || e.Abstract != reg.Entries[0].Resource.Abstract {
			t.Errorf("updated entry: version %d abstract %q (%v)", e.Version, e.Abstract, err)
		}

		// All or nothing: an unknown region refuses the whole document.
		reg.Entries[1].Resource.Abstract += "（修订）"
		reg.Entries[2].Provider = catalog.Provider{Name: "某县某局", USCC: reg.Entries[2].Provider.USCC[:2] + "999999" + reg.Entries[2].Provider.USCC[8:], RegionCode: "999999"}
		reg.Entries[2].Code = "101001/000099"
		err = importReg(reg)
		if e := errs.As(err); e == nil || e.Code != "unknown_region" {
			t.Errorf("unknown region: got %v", err)
		}
		e, _ = catalog.ByCode(ctx, city.Read(), op, reg.Entries[1].Code)
		if e.Version != 1 {
			t.Errorf("failed import changed an entry: version %d", e.Version)
		}
	})
}

func cityOperator(t *testing.T, db *sqldb.DB) catalog.Actor {
	t.Helper()
	ctx := context.Background()
	sys := audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"}
	var dept org.Department
	err := db.Tx(ctx, func(tx *sqldb.Tx) error {
		for _, r := range []org.Region{{Code: "440000", Name: "广东省", Level: org.Province},
			{Code: "440605", Name: "南海区", Level: org.District, ParentCode: "440000"}} {
			if err := org.CreateRegion(ctx, tx, sys, r, t0); err != nil {
				return err
			}
		}
		dept = org.Department{Name: "佛山市政务服务和数据管理局", USCC: "11440600MB2C93920F", RegionCode: "440000", IsOperator: true}
		return org.CreateDepartment(ctx, tx, sys, &dept, t0)
	})
	if err != nil {
		t.Fatal(err)
	}
	return catalogtest.Actor("fs.admin", dept.ID, true, true)
}

// TestRegistrationLongSequence: a registered code keeps a sequence longer
// than six digits, which leaves the receiving platform's own sequence of
// six-digit codes where it was.
func TestRegistrationLongSequence(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		publish(t, w, w.gaj, household())
		reg, err := catalog.Export(ctx, db.Read(), 0, t0)
		if err != nil {
			t.Fatal(err)
		}
		reg.Entries[0].Code = "101001/999999999999"
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := catalog.Import(ctx, tx, w.operator, reg, t0)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		r := household()
		r.Name = "户籍人口变动信息"
		if e := create(t, w, w.rsj, r); e.Code != "101001/000002" {
			t.Errorf("next code %s, want 101001/000002", e.Code)
		}
	})
}

// legacyPlaceholder stores 时效要求 “无” in an entry's metadata, as entries
// stored before placeholder_value was refused may hold it.
func legacyPlaceholder(t *testing.T, db *sqldb.DB, id int64) {
	t.Helper()
	for _, table := range []string{"catalog_entries", "catalog_entry_versions"} {
		col := "id"
		if table == "catalog_entry_versions" {
			col = "entry_id"
		}
		if _, err := db.Write().ExecContext(context.Background(), `UPDATE `+table+` SET data = replace(data,
			'"name":"户籍人口基本信息"', '"name":"户籍人口基本信息","timeliness":"无"') WHERE `+col+` = $1`, id); err != nil {
			t.Fatal(err)
		}
	}
}

// TestLegacyPlaceholders: a field holding only a placeholder from before the
// rule neither refuses a registration document nor a submission: both
// clear it and say so.
func TestLegacyPlaceholders(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		e := publish(t, w, w.gaj, household())
		legacyPlaceholder(t, db, e.ID)
		reg, err := catalog.Export(ctx, db.Read(), 0, t0)
		if err != nil || reg.Entries[0].Resource.Timeliness != "无" {
			t.Fatalf("export: %v, timeliness %q", err, reg.Entries[0].Resource.Timeliness)
		}
		city := sqldbtest.SQLite(t)
		if db.Dialect == sqldb.Postgres {
			city = sqldbtest.Postgres(t)
		}
		op := cityOperator(t, city)
		var res catalog.ImportResult
		if err := city.Tx(ctx, func(tx *sqldb.Tx) (err error) {
			res, err = catalog.Import(ctx, tx, op, reg, t0)
			return err
		}); err != nil {
			t.Fatalf("import: %v", err)
		}
		if want := []string{e.Code + " 时效要求“无”"}; res.Created != 1 || !cmp.Equal(res.Cleared, want) {
			t.Errorf("import: %+v, want 1 created and cleared %v", res, want)
		}
		got, err := catalog.ByCode(ctx, city.Read(), op, e.Code)
		if err != nil || got.Timeliness != "" {
			t.Errorf("imported timeliness %q (%v), want empty", got.Timeliness, err)
		}

		draft := create(t, w, w.rsj, insured())
		if _, err := db.Write().ExecContext(ctx, `UPDATE catalog_entry_versions SET data = replace(data,
			'"name":"社会保险参保信息"', '"name":"社会保险参保信息","timeliness":"-"') WHERE entry_id = $1`, draft.ID); err != nil {
			t.Fatal(err)
		}
		sub := mustStep(t, w, "submit", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Submit(ctx, tx, w.rsj, draft.ID, t0)
		})
		if wk, err := catalog.Working(ctx, db.Read(), w.rsj, sub.ID); err != nil || wk.Timeliness != "" || sub.Timeliness != "" {
			t.Errorf("submitted timeliness %q / %q (%v), want empty", wk.Timeliness, sub.Timeliness, err)
		}
	})
}
