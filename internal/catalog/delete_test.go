package catalog_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDeleteDraft: a department deletes an entry it never published — a
// draft, or one sent back from its first review with its source
// conflicts — with every row kept for it, audited with its code and name;
// the code is not given out again. An entry ever published, one under
// review and another department's are refused and stay as they were.
func TestDeleteDraft(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		del := func(by catalog.Actor, id int64) error {
			return db.Tx(ctx, func(tx *sqldb.Tx) error { return catalog.Delete(ctx, tx, by, id, t0) })
		}
		rows := func(id int64) int {
			t.Helper()
			n := 0
			for _, q := range []string{
				`SELECT COUNT(*) FROM catalog_entries WHERE id = $1`,
				`SELECT COUNT(*) FROM catalog_entry_versions WHERE entry_id = $1`,
				`SELECT COUNT(*) FROM catalog_search_tokens WHERE entry_id = $1`,
				`SELECT COUNT(*) FROM catalog_item_keys WHERE entry_id = $1`,
				`SELECT COUNT(*) FROM catalog_source_conflicts WHERE entry_id = $1`,
			} {
				var c int
				if err := db.Read().QueryRowContext(ctx, q, id).Scan(&c); err != nil {
					t.Fatal(err)
				}
				n += c
			}
			return n
		}
		found := func(by catalog.Actor, text string, id int64) bool {
			t.Helper()
			p, err := catalog.Search(ctx, db.Read(), by, catalog.Query{Text: text,
				Statuses: []catalog.Status{catalog.Draft, catalog.Rejected, catalog.Submitted, catalog.Published}, Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range p.Items {
				if it.ID == id {
					return true
				}
			}
			return false
		}

		published := publish(t, w, w.rsj, func() catalog.Resource {
			r := household()
			r.Name = "参保人员户籍信息"
			return r
		}())
		draft := create(t, w, w.gaj, household())
		rejected := create(t, w, w.gaj, func() catalog.Resource {
			r := household()
			r.Name = "流动人口居住登记信息"
			return r
		}())
		for _, fn := range []func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error){
			func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.Submit(ctx, tx, w.gaj, rejected.ID, t0)
			},
			func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.Reject(ctx, tx, w.operator, rejected.ID, "重复编目", t0)
			},
		} {
			if _, err := step(w, fn); err != nil {
				t.Fatal(err)
			}
		}
		var conflicts int
		if err := db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM catalog_source_conflicts WHERE entry_id = $1`,
			rejected.ID).Scan(&conflicts); err != nil || conflicts == 0 {
			t.Fatalf("the rejected entry's source conflicts: %d, %v (the test needs some)", conflicts, err)
		}
		submitted := create(t, w, w.gaj, func() catalog.Resource {
			r := household()
			r.Name = "户籍迁移登记信息"
			return r
		}())
		if _, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Submit(ctx, tx, w.gaj, submitted.ID, t0)
		}); err != nil {
			t.Fatal(err)
		}
		if !found(w.gaj, "户籍人口基本", draft.ID) {
			t.Fatal("the draft is not found before its deletion")
		}

		refusals := []struct {
			what string
			by   catalog.Actor
			id   int64
			kind errs.Kind
			code string
		}{
			{"another department's draft", w.rsj, draft.ID, errs.NotFound, "entry_not_found"},
			{"a reviewer", w.operator, draft.ID, errs.Forbidden, "forbidden"},
			{"another department's published entry", w.gaj, published.ID, errs.Forbidden, "forbidden"},
			{"a published entry", w.rsj, published.ID, errs.Conflict, "entry_published"},
			{"an entry under review", w.gaj, submitted.ID, errs.Conflict, "entry_submitted"},
			{"an unknown entry", w.gaj, 99999, errs.NotFound, "entry_not_found"},
		}
		for _, c := range refusals {
			before := rows(c.id)
			err := del(c.by, c.id)
			if e := errs.As(err); e == nil || e.Kind != c.kind || e.Code != c.code {
				t.Errorf("%s: got %v, want %s %s", c.what, err, c.kind, c.code)
			}
			if after := rows(c.id); after != before {
				t.Errorf("%s: %d rows before the refusal, %d after", c.what, before, after)
			}
		}

		for _, e := range []catalog.Entry{draft, rejected} {
			if err := del(w.gaj, e.ID); err != nil {
				t.Fatalf("delete %s: %v", e.Code, err)
			}
			if n := rows(e.ID); n != 0 {
				t.Errorf("%s: %d rows left", e.Code, n)
			}
			_, err := catalog.Get(ctx, db.Read(), w.gaj, e.ID)
			wantKind(t, "get a deleted entry", err, errs.NotFound)
			var detail string
			if err := db.Read().QueryRowContext(ctx, `SELECT detail FROM audit_log WHERE action = 'catalog.delete' AND object_id = $1`,
				strconv.FormatInt(e.ID, 10)).Scan(&detail); err != nil {
				t.Errorf("%s: audit row: %v", e.Code, err)
			} else if !strings.Contains(detail, e.Code) || !strings.Contains(detail, e.Name) {
				t.Errorf("%s: audit detail %s names neither code nor name", e.Code, detail)
			}
		}
		if found(w.gaj, "户籍人口基本", draft.ID) {
			t.Error("search finds the draft after its deletion")
		}
		again := create(t, w, w.gaj, household())
		if again.Code == draft.Code || again.Code == rejected.Code {
			t.Errorf("a deleted entry's code %s is given out again", again.Code)
		}
	})
}
