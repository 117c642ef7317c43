package catalog_test

import (
	"context"
	"database/sql"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// planner is a Querier that notes SQLite's plan of every query it runs,
// step by step.
type planner struct {
	sqldb.Querier
	t     *testing.T
	steps []string
}

func (p *planner) plan(query string, args ...any) {
	p.steps = append(p.steps, sqldbtest.Plan(p.t, sqldb.SQLite, p.Querier, query, args...)...)
}

func (p *planner) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	p.plan(query, args...)
	return p.Querier.QueryContext(ctx, query, args...)
}

func (p *planner) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	p.plan(query, args...)
	return p.Querier.QueryRowContext(ctx, query, args...)
}

// TestInProgressPlan: on SQLite the review queue (its page with facets,
// and its count) and a department's drafts read the entries being compiled
// or reviewed from their partial index (catalog_entries_in_progress,
// migration 0028), never by scanning the catalog: with sqlite_stat1 alone
// SQLite took each status, and each revision state, for half of a catalog
// of published entries, and read all of them (100,000 entries for a queue
// of 600: BenchmarkSearch/*/review).
func TestInProgressPlan(t *testing.T) {
	db := sqldbtest.SQLite(t)
	w := newWorld(t, db)
	ctx := t.Context()
	if err := catalog.Generate(ctx, db, []int64{w.gajID, w.rsjID, w.scjID}, 2000, rand.New(rand.NewPCG(1, 2)), nil, nil); err != nil {
		t.Fatal(err)
	}
	revised := publish(t, w, w.gaj, household())
	r := household()
	r.Abstract += "，含迁入迁出记录"
	mustStep(t, w, "revise", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
		return catalog.Update(ctx, tx, w.gaj, revised.ID, r, t0)
	})
	mustStep(t, w, "submit revision", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
		return catalog.Submit(ctx, tx, w.gaj, revised.ID, t0)
	})
	draft := household()
	draft.Name = "户籍迁移登记信息"
	create(t, w, w.gaj, draft)
	if err := db.Analyze(ctx); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		by    catalog.Actor
		query catalog.Query
	}{
		{"review queue", w.operator, catalog.Query{Statuses: []catalog.Status{catalog.Submitted}, Facets: true}},
		{"review queue count", w.operator, catalog.Query{Statuses: []catalog.Status{catalog.Submitted}, Limit: 1, Count: true}},
		{"drafts", w.gaj, catalog.Query{Statuses: []catalog.Status{catalog.Draft, catalog.Rejected}, Facets: true}},
	} {
		p := &planner{Querier: db.Read(), t: t}
		page, err := catalog.Search(ctx, p, c.by, c.query)
		if err != nil || page.Total != 1 {
			t.Fatalf("%s: %d entries, %v; want 1", c.name, page.Total, err)
		}
		indexed := false
		for _, step := range p.steps {
			if strings.HasPrefix(step, "SCAN e") && !strings.Contains(step, "catalog_entries_in_progress") {
				t.Errorf("%s: %q reads the whole catalog; plan %q", c.name, step, p.steps)
			}
			indexed = indexed || strings.Contains(step, "USING INDEX catalog_entries_in_progress")
		}
		if !indexed {
			t.Errorf("%s: plan %q, want catalog_entries_in_progress", c.name, p.steps)
		}
	}
}
