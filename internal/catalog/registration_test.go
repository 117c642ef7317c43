package catalog_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/demo"
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
		draft := household()
		draft.Name = "户籍人口迁移信息"
		create(t, w, w.gaj, draft) // drafts are not registered
		reg, err := catalog.Export(ctx, db.Read(), 0, t0)
		if err != nil {
			t.Fatal(err)
		}
		if len(reg.Entries) != 6 || reg.Entries[0].Provider.USCC == "" || reg.Entries[0].Provider.RegionCode != "440605" {
			t.Fatalf("export: %d entries, first %+v", len(reg.Entries), reg.Entries[0].Provider)
		}

		// The city platform knows the region but none of the district's departments.
		city, op := receivingPlatform(t, db)
		var res catalog.ImportResult
		// The city imports later than the district published: its versions
		// are its own, published when it imported them.
		t1 := t0.Add(50 * time.Hour)
		importReg := func(reg catalog.Registration) error {
			return city.Tx(ctx, func(tx *sqldb.Tx) (err error) {
				res, err = catalog.Import(ctx, tx, op, reg, t1)
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
		again, err := catalog.Export(ctx, city.Read(), 0, t1)
		if err != nil {
			t.Fatal(err)
		}
		want := reg
		want.ExportedAt = t1
		want.Entries = slices.Clone(reg.Entries)
		for i := range want.Entries {
			want.Entries[i].Version, want.Entries[i].PublishedAt = 1, t1
		}
		if diff := cmp.Diff(want, again); diff != "" {
			t.Errorf("export → import → export differs (-district, the city's versions +city):\n%s", diff)
		}

		// Re-import: unchanged entries stay, changed ones get a new version;
		// a provider's credit code in lower case names the same department.
		reg.Entries[0].Resource.Abstract += "（修订）"
		for i := range reg.Entries {
			reg.Entries[i].Provider.USCC = " " + strings.ToLower(reg.Entries[i].Provider.USCC)
		}
		if err := importReg(reg); err != nil {
			t.Fatal(err)
		}
		if res.Updated != 1 || res.Unchanged != 5 || len(res.Departments) != 0 {
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
		if e := errs.As(err); e == nil || e.Code != "unknown_region" || e.Field != "entries[2].provider.region_code" {
			t.Errorf("unknown region: got %v", err)
		}
		e, _ = catalog.ByCode(ctx, city.Read(), op, reg.Entries[1].Code)
		if e.Version != 1 {
			t.Errorf("failed import changed an entry: version %d", e.Version)
		}
	})
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
		city, op := receivingPlatform(t, db)
		res, err := importRegistration(city, op, reg)
		if err != nil {
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

// TestImportMatchesOneByOne checks that a registration imported at once
// leaves exactly the rows that importing its entries one document at a
// time leaves, on a second database: entries, versions, search postings,
// item keys, facet counts, code sequences, the conflicts of versions under
// review that share imported items, departments and the audit rows in
// their order. The document creates, updates and leaves entries, names a
// code twice and registers a second provider midway.
func TestImportMatchesOneByOne(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, bulk *sqldb.DB) {
		ctx := context.Background()
		one := sqldbtest.SQLite(t)
		if bulk.Dialect == sqldb.Postgres {
			one = sqldbtest.Postgres(t)
		}
		var w *world
		var review catalog.Entry
		for _, db := range []*sqldb.DB{one, bulk} {
			w = newWorld(t, db)
			publish(t, w, w.gaj, household())
			review = create(t, w, w.rsj, insured()) // its 名字 is the 姓名 of imported entries
			mustStep(t, w, "submit", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.Submit(ctx, tx, w.rsj, review.ID, t0)
			})
		}
		police, err := catalog.Export(ctx, bulk.Read(), w.gajID, t0)
		if err != nil {
			t.Fatal(err)
		}
		reg := realRegistration(t, 120)
		for i := range reg.Entries {
			e := &reg.Entries[i]
			e.Code = e.Code[:7] + "0001" + e.Code[11:] // after the codes of the district's entries
			if i >= 60 && i < 70 {
				e.Provider = catalog.Provider{Name: "南海区文化广电旅游体育局", USCC: demo.USCC("440605", 41), RegionCode: "440605"}
			}
		}
		changed := police.Entries[0]
		changed.Resource.Abstract += "（修订）"
		again := reg.Entries[20]
		again.Resource.Abstract += "（修订）"
		reg.Entries = slices.Insert(reg.Entries, 30, changed, reg.Entries[10], again, police.Entries[0])

		var got catalog.ImportResult
		if err := bulk.Tx(ctx, func(tx *sqldb.Tx) (err error) {
			got, err = catalog.Import(ctx, tx, w.operator, reg, t0)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		want := catalog.ImportResult{Departments: []string{}, Cleared: []string{}}
		for _, e := range reg.Entries {
			var res catalog.ImportResult
			if err := one.Tx(ctx, func(tx *sqldb.Tx) (err error) {
				res, err = catalog.Import(ctx, tx, w.operator, catalog.Registration{Format: reg.Format, Entries: []catalog.RegisteredEntry{e}}, t0)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			want.Created, want.Updated, want.Unchanged = want.Created+res.Created, want.Updated+res.Updated, want.Unchanged+res.Unchanged
			want.Departments = append(want.Departments, res.Departments...)
			want.Cleared = append(want.Cleared, res.Cleared...)
		}
		if want.Created != 120 || want.Updated != 3 || want.Unchanged != 1 || len(want.Departments) != 2 {
			t.Errorf("one at a time: %+v, want 120 created, 3 updated, 1 unchanged, 2 departments", want)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("result (-one at a time +at once):\n%s", diff)
		}
		for _, table := range []string{"catalog_entries", "catalog_entry_versions", "catalog_search_tokens",
			"catalog_item_keys", "catalog_facet_counts", "catalog_code_sequences", "catalog_source_conflicts",
			"departments", "audit_log"} {
			if diff := cmp.Diff(catalog.DumpTable(t, one, table), catalog.DumpTable(t, bulk, table)); diff != "" {
				t.Errorf("%s (-one at a time +at once):\n%s", table, diff)
			}
		}
		cs, err := catalog.Conflicts(ctx, bulk.Read(), w.operator, review.ID)
		if err != nil || len(cs) != 2 || cs[0].ItemName != "名字" || len(cs[0].Candidates) != 41 {
			t.Errorf("conflicts of the version under review: %+v (%v), want 名字 with 41 candidates first", cs, err)
		}
	})
}

// TestRegistrationProviderClash: a provider unknown by its credit code
// whose name a department of its region holds under another code is
// refused, not matched by name nor registered beside it: the error names
// the entry's provider field, the department and both codes, and nothing is
// imported. A provider's credit code that is none is refused at its field
// too.
func TestRegistrationProviderClash(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		corpus(t, w)
		reg, err := catalog.Export(ctx, db.Read(), 0, t0)
		if err != nil {
			t.Fatal(err)
		}
		// The clash is the second provider's: the first is registered, then rolled back.
		i := slices.IndexFunc(reg.Entries, func(e catalog.RegisteredEntry) bool {
			return e.Provider.USCC != reg.Entries[0].Provider.USCC
		})
		if i < 0 {
			t.Fatal("want entries of two providers")
		}
		name := reg.Entries[i].Provider.Name
		city, op := receivingPlatform(t, db)
		other := demo.USCC("440605", 9)
		if err := city.Tx(ctx, func(tx *sqldb.Tx) error {
			d := org.Department{Name: name, USCC: other, RegionCode: "440605"}
			return org.CreateDepartment(ctx, tx, op.Actor, &d, t0)
		}); err != nil {
			t.Fatal(err)
		}
		importReg := func() error {
			return city.Tx(ctx, func(tx *sqldb.Tx) error {
				_, err := catalog.Import(ctx, tx, op, reg, t0)
				return err
			})
		}
		err = importReg()
		e := errs.As(err)
		want := fmt.Sprintf("entries[%d].provider.uscc", i)
		if e == nil || e.Kind != errs.Conflict || e.Code != "department_exists" || e.Field != want {
			t.Fatalf("clash: got %v, want department_exists on %s", err, want)
		}
		for _, s := range []string{reg.Entries[i].Code, name, reg.Entries[i].Provider.USCC, other} {
			if !strings.Contains(e.Message, s) {
				t.Errorf("clash message %q does not name %s", e.Message, s)
			}
		}
		if got, err := catalog.Export(ctx, city.Read(), 0, t0); err != nil || len(got.Entries) != 0 {
			t.Errorf("refused import left %d entries (%v)", len(got.Entries), err)
		}
		if ds, err := org.Departments(ctx, city.Read()); err != nil || len(ds) != 2 {
			t.Errorf("refused import left %d departments, want the 2 before it (%v)", len(ds), err)
		}

		reg.Entries[i].Provider.Name, reg.Entries[i].Provider.USCC = "南海区某局", "12345"
		err = importReg()
		if e := errs.As(err); e == nil || e.Field != want || !strings.HasPrefix(e.Message, reg.Entries[i].Code+"：") {
			t.Errorf("bad credit code: got %v, want an error on %s naming %s", err, want, reg.Entries[i].Code)
		}
	})
}

// TestRegistrationRetireRequested: the operator's import published a new
// version of an entry whose department's retirement request was under
// review, which Submit refuses (retire_requested); the import now refuses
// it too and changes nothing, while the same entry unchanged is imported
// (nothing to publish).
func TestRegistrationRetireRequested(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		e := publish(t, w, w.gaj, household())
		reg, err := catalog.Export(ctx, db.Read(), 0, t0)
		if err != nil {
			t.Fatal(err)
		}
		mustStep(t, w, "request", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Retire(ctx, tx, w.gaj, e.ID, "职能调整", t0)
		})
		imp := func(reg catalog.Registration) error {
			return db.Tx(ctx, func(tx *sqldb.Tx) error {
				_, err := catalog.Import(ctx, tx, w.operator, reg, t0)
				return err
			})
		}
		if err := imp(reg); err != nil {
			t.Errorf("the unchanged entry: %v", err)
		}
		reg.Entries[0].Resource.Abstract += "（导入修订）"
		err = imp(reg)
		wantCode(t, "import over a retirement request", err, errs.Conflict, "retire_requested")
		if err != nil && !strings.Contains(err.Error(), e.Code) {
			t.Errorf("the refusal does not name %s: %v", e.Code, err)
		}
		got, err := catalog.Get(ctx, db.Read(), w.operator, e.ID)
		if err != nil || got.Version != 1 || !got.RetireRequest.Pending() {
			t.Errorf("after the refused import: version %d, request %+v (%v); want 1, pending", got.Version, got.RetireRequest, err)
		}
	})
}
