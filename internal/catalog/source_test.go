package catalog_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// insured is the social security department's personal table; its 名字
// and 出生年月日 are synonyms of items of the police's household table.
func insured() catalog.Resource {
	r := household()
	r.Name, r.Abstract, r.Domain = "社会保险参保信息", "参保人员的参保险种和状态", "15"
	r.Classification = catalog.Classification{Class: catalog.Departmental, CategoryCode: "04", CategoryName: "人社",
		SubcategoryCode: "001", SubcategoryName: "社会保险"}
	r.Items = []catalog.Item{
		{Name: "身份证号", Type: "C", Length: 18, IdentifiesSubject: true},
		{Name: "名字", Type: "C", Length: 50},
		{Name: "出生年月日", Type: "D"},
		{Name: "参保状态", Type: "C", Length: 10},
	}
	return r
}

func TestOneDataOneSource(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		police := publish(t, w, w.gaj, household())
		e := create(t, w, w.rsj, insured())
		mustStep(t, w, "submit", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Submit(ctx, tx, w.rsj, e.ID, t0)
		})
		cs, err := catalog.Conflicts(ctx, db.Read(), w.operator, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		names := map[string]catalog.Conflict{}
		for _, c := range cs {
			names[c.ItemName] = c
		}
		// The identifying 身份证号 is a key, not a fact; 参保状态 is the department's own.
		if len(cs) != 2 || names["名字"].ItemKey != "姓名" || names["出生年月日"].ItemKey != "出生日期" {
			t.Fatalf("conflicts %+v, want 名字 and 出生年月日", cs)
		}
		if c := names["名字"]; c.Decided() || len(c.Candidates) != 1 || c.Candidates[0].EntryID != police.ID {
			t.Errorf("名字 conflict %+v, want undecided with the police entry as candidate", c)
		}
		_, err = step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Approve(ctx, tx, w.operator, e.ID, t0)
		})
		if !errs.Is(err, errs.Conflict) || errs.As(err).Code != "source_conflicts_undecided" {
			t.Fatalf("approve with undecided conflicts: got %v, want source_conflicts_undecided", err)
		}
		decide := func(c catalog.Conflict, by catalog.Actor, source int64) error {
			return w.db.Tx(ctx, func(tx *sqldb.Tx) error {
				_, err := catalog.Decide(ctx, tx, by, e.ID, c.ID, source, t0)
				return err
			})
		}
		wantKind(t, "department decides", decide(names["名字"], w.rsj, police.ID), errs.Forbidden)
		wantKind(t, "unrelated source", decide(names["名字"], w.operator, 9999), errs.Invalid)
		if err := decide(names["名字"], w.operator, police.ID); err != nil {
			t.Fatal(err)
		}
		if err := decide(names["出生年月日"], w.operator, e.ID); err != nil {
			t.Fatal(err)
		}
		e = mustStep(t, w, "approve", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Approve(ctx, tx, w.operator, e.ID, t0)
		})
		src := map[string]*catalog.SourceRef{}
		for _, it := range e.Items {
			src[it.Name] = it.Source
		}
		if s := src["名字"]; s == nil || s.EntryID != police.ID || s.ItemName != "姓名" || s.DepartmentName != "佛山市公安局南海分局" {
			t.Errorf("名字 source %+v, want the police's 姓名", s)
		}
		if src["出生年月日"] != nil || src["参保状态"] != nil {
			t.Errorf("authoritative items point elsewhere: %+v %+v", src["出生年月日"], src["参保状态"])
		}
		p, _ := catalog.Get(ctx, db.Read(), w.scj, police.ID)
		for _, it := range p.Items {
			if it.Name == "出生日期" && (it.Source == nil || it.Source.EntryID != e.ID) {
				t.Errorf("police 出生日期 source %+v, want the insurance entry", it.Source)
			}
			if it.Name == "姓名" && it.Source != nil {
				t.Errorf("police 姓名 points to %+v, want none (it is the source)", it.Source)
			}
		}

		// A third department's overlap starts decided for the existing source.
		third := insured()
		third.Name, third.Items = "医疗保险参保信息", third.Items[:2]
		m := create(t, w, w.scj, third)
		mustStep(t, w, "submit third", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Submit(ctx, tx, w.scj, m.ID, t0)
		})
		cs, _ = catalog.Conflicts(ctx, db.Read(), w.operator, m.ID)
		if len(cs) != 1 || cs[0].AuthoritativeEntryID != police.ID || cs[0].DecidedBy != "system" {
			t.Errorf("third conflicts %+v, want 名字 decided for the police", cs)
		}
		mustStep(t, w, "approve third", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Approve(ctx, tx, w.operator, m.ID, t0)
		})
	})
}

func TestNoSubjectHasNoConflicts(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		r := household()
		r.SubjectKind, r.Items[0].IdentifiesSubject = catalog.NoSubject, false
		publish(t, w, w.gaj, r)
		r.Name = "人口统计"
		e := publish(t, w, w.rsj, r) // would fail on undecided conflicts
		if e.Status != catalog.Published {
			t.Errorf("status %s", e.Status)
		}
	})
}

// TestConflictsBetweenReviews: two departments submit the same facts before
// either is published. Publishing the first brings the second's conflicts
// up to date, so it cannot be approved until they are decided; decisions
// taken stay when a later publication or retirement changes the candidates.
func TestConflictsBetweenReviews(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		submit := func(by catalog.Actor, r catalog.Resource) catalog.Entry {
			t.Helper()
			e := create(t, w, by, r)
			return mustStep(t, w, "submit "+r.Name, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.Submit(ctx, tx, by, e.ID, t0)
			})
		}
		approve := func(e catalog.Entry) (catalog.Entry, error) {
			return step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.Approve(ctx, tx, w.operator, e.ID, t0)
			})
		}
		police := submit(w.gaj, household())
		people := household()
		people.Name, people.Abstract = "低保对象人员信息", "最低生活保障对象的身份和户籍"
		people.Classification.SubcategoryCode = "002"
		welfare := submit(w.rsj, people)
		if cs := conflictsByName(t, w, welfare.ID); len(cs) != 0 {
			t.Fatalf("conflicts before anything is published: %+v", cs)
		}
		if _, err := approve(police); err != nil {
			t.Fatal(err)
		}
		cs := conflictsByName(t, w, welfare.ID)
		if len(cs) != 3 || cs["户籍地址"].Decided() || len(cs["户籍地址"].Candidates) != 1 || cs["户籍地址"].Candidates[0].EntryID != police.ID {
			t.Fatalf("conflicts after the police entry is published: %+v, want 姓名 出生日期 户籍地址 undecided", cs)
		}
		_, err := approve(welfare)
		if e := errs.As(err); e == nil || e.Code != "source_conflicts_undecided" {
			t.Fatalf("approve with the new conflicts undecided: got %v", err)
		}
		decide := func(c catalog.Conflict, source int64) {
			t.Helper()
			if err := w.db.Tx(ctx, func(tx *sqldb.Tx) error {
				_, err := catalog.Decide(ctx, tx, w.operator, welfare.ID, c.ID, source, t0)
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		decide(cs["姓名"], welfare.ID)
		decide(cs["户籍地址"], police.ID)

		// A third department publishes 姓名 and 出生日期 meanwhile: the
		// decisions stay, the new candidate joins.
		third := household()
		third.Name, third.Items = "就业登记人员信息", third.Items[:3]
		third.Classification.SubcategoryCode = "003"
		market := submit(w.scj, third)
		for _, c := range conflictsByName(t, w, market.ID) {
			decide := func(tx *sqldb.Tx) error {
				_, err := catalog.Decide(ctx, tx, w.operator, market.ID, c.ID, police.ID, t0)
				return err
			}
			if err := w.db.Tx(ctx, decide); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := approve(market); err != nil {
			t.Fatal(err)
		}
		after := conflictsByName(t, w, welfare.ID)
		if c := after["姓名"]; c.ID != cs["姓名"].ID || c.AuthoritativeEntryID != welfare.ID || len(c.Candidates) != 2 {
			t.Errorf("姓名 after a third publication: %+v, want the same conflict, still decided for welfare, 2 candidates", c)
		}
		if c := after["出生日期"]; c.AuthoritativeEntryID != police.ID || c.DecidedBy != "system" {
			t.Errorf("出生日期 after the third entry made the police its source: %+v, want decided by the system", c)
		}
		// The police entry retires: it drops out of the candidates, and the
		// decision naming it is taken again.
		mustStep(t, w, "retire police", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return retireApproved(ctx, tx, w, w.gaj, police.ID, "业务调整")
		})
		after = conflictsByName(t, w, welfare.ID)
		if len(after) != 2 || after["户籍地址"].ID != 0 || after["姓名"].AuthoritativeEntryID != welfare.ID || after["出生日期"].Decided() {
			t.Errorf("after the police entry retired: %+v, want 姓名 decided, 出生日期 undecided, no 户籍地址", after)
		}
		decide(after["出生日期"], market.ID)
		welfare, err = approve(welfare)
		if err != nil {
			t.Fatal(err)
		}
		src := map[string]int64{}
		for _, it := range welfare.Items {
			if it.Source != nil {
				src[it.Name] = it.Source.EntryID
			}
		}
		if len(src) != 1 || src["出生日期"] != market.ID {
			t.Errorf("welfare sources %v, want only 出生日期 from the employment entry", src)
		}
	})
}

// TestSourceDroppedWithItem: when the authoritative entry publishes a
// version without the item, it stops being its one source; other entries'
// items no longer point to it, and the approval's audit row says so.
func TestSourceDroppedWithItem(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		police := publish(t, w, w.gaj, household())
		r := insured()
		r.Items = append(r.Items, catalog.Item{Name: "户籍地址", Type: "C", Length: 200})
		e := create(t, w, w.rsj, r)
		mustStep(t, w, "submit", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Submit(ctx, tx, w.rsj, e.ID, t0)
		})
		cs, err := catalog.Conflicts(ctx, db.Read(), w.operator, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			if err := w.db.Tx(ctx, func(tx *sqldb.Tx) error {
				_, err := catalog.Decide(ctx, tx, w.operator, e.ID, c.ID, police.ID, t0)
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		mustStep(t, w, "approve", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Approve(ctx, tx, w.operator, e.ID, t0)
		})
		sources := func() map[string]int64 {
			t.Helper()
			got, err := catalog.Get(ctx, db.Read(), w.scj, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]int64{}
			for _, it := range got.Items {
				if it.Source != nil {
					out[it.Name] = it.Source.EntryID
				}
			}
			return out
		}
		if s := sources(); len(s) != 3 || s["户籍地址"] != police.ID {
			t.Fatalf("sources %v, want 名字 出生年月日 户籍地址 from the police", s)
		}

		// The police's version 2 drops 出生日期 and 户籍地址. (It made 出生日期
		// identifying, a key, never a source, until only an identifier of the
		// subject may be marked so: TestIdentifyingOnlySubjectIdentifier.)
		v2 := household()
		v2.Items = v2.Items[:2]
		mustStep(t, w, "revise", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Update(ctx, tx, w.gaj, police.ID, v2, t0)
		})
		mustStep(t, w, "submit v2", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Submit(ctx, tx, w.gaj, police.ID, t0)
		})
		mustStep(t, w, "approve v2", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Approve(ctx, tx, w.operator, police.ID, t0)
		})
		if s := sources(); len(s) != 1 || s["名字"] != police.ID {
			t.Errorf("sources after the police dropped 出生日期 and 户籍地址: %v, want only 名字", s)
		}
		// Migration 0011 drops such rows left by publications before the rule.
		if _, err := db.Write().ExecContext(ctx, `INSERT INTO catalog_authoritative_items (subject_kind, item_key,
			entry_id, item_name, decided_at) VALUES ('person', '户籍地址', $1, '户籍地址', $2)`, police.ID, t0); err != nil {
			t.Fatal(err)
		}
		migration, err := os.ReadFile("../sqldb/migrations/" + db.Dialect.String() + "/0011_catalog_sources.sql")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Write().ExecContext(ctx, string(migration[bytes.Index(migration, []byte("DELETE")):])); err != nil {
			t.Fatal(err)
		}
		if s := sources(); len(s) != 1 || s["名字"] != police.ID {
			t.Errorf("sources after migration 0011: %v, want only 名字", s)
		}
		var detail string
		if err := db.Read().QueryRowContext(ctx, `SELECT detail FROM audit_log WHERE action = 'catalog.approve'
			ORDER BY seq DESC LIMIT 1`).Scan(&detail); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(detail, `"sources_dropped":"出生日期、户籍地址"`) {
			t.Errorf("approval audit detail %s, want the dropped sources", detail)
		}

		// Retiring drops the rest, also named in the audit row.
		mustStep(t, w, "retire", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return retireApproved(ctx, tx, w, w.gaj, police.ID, "业务调整")
		})
		if s := sources(); len(s) != 0 {
			t.Errorf("sources after the police retired: %v", s)
		}
		if err := db.Read().QueryRowContext(ctx, `SELECT detail FROM audit_log WHERE action = 'catalog.retire.approve'
			ORDER BY seq DESC LIMIT 1`).Scan(&detail); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(detail, `"sources_dropped":"姓名"`) {
			t.Errorf("retirement audit detail %s, want the dropped source", detail)
		}
	})
}

// conflictsByName returns the source conflicts of entry id's working
// version, as the operator reads them, by the name of their item.
func conflictsByName(t *testing.T, w *world, id int64) map[string]catalog.Conflict {
	t.Helper()
	cs, err := catalog.Conflicts(context.Background(), w.db.Read(), w.operator, id)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]catalog.Conflict{}
	for _, c := range cs {
		out[c.ItemName] = c
	}
	return out
}
