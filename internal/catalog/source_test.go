package catalog_test

import (
	"context"
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
		r.SubjectKind = catalog.NoSubject
		publish(t, w, w.gaj, r)
		r.Name = "人口统计"
		e := publish(t, w, w.rsj, r) // would fail on undecided conflicts
		if e.Status != catalog.Published {
			t.Errorf("status %s", e.Status)
		}
	})
}
