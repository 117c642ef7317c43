package catalog_test

import (
	"context"
	"database/sql"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// explainer is a Querier that notes the plan of every query it runs, on
// either engine: SQLite's EXPLAIN QUERY PLAN details, PostgreSQL's EXPLAIN
// lines, a query's steps after its text.
type explainer struct {
	sqldb.Querier
	t     *testing.T
	db    *sqldb.DB
	plans []string
}

func (p *explainer) plan(query string, args ...any) {
	steps := append([]string{query}, sqldbtest.Plan(p.t, p.db.Dialect, p.Querier, query, args...)...)
	p.plans = append(p.plans, strings.Join(steps, "\n\t"))
}

func (p *explainer) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	p.plan(query, args...)
	return p.Querier.QueryContext(ctx, query, args...)
}

func (p *explainer) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	p.plan(query, args...)
	return p.Querier.QueryRowContext(ctx, query, args...)
}

// entriesPlan is the plan of the one query of plans that reads
// catalog_entries, failing t when there is not exactly one.
func entriesPlan(t *testing.T, plans []string) string {
	t.Helper()
	var out []string
	for _, p := range plans {
		if strings.Contains(p, "catalog_entries") {
			out = append(out, p)
		}
	}
	if len(out) != 1 {
		t.Fatalf("%d queries of catalog_entries, want 1:\n%s", len(out), strings.Join(plans, "\n"))
	}
	return out[0]
}

// walksCatalog returns a step of plan that reads the whole catalog (a
// scan of the table), or with sorts one that sorts what it reads; "" when
// there is none.
func walksCatalog(db *sqldb.DB, plan string, sorts bool) string {
	for _, step := range strings.Split(plan, "\n\t")[1:] {
		scan, sort := strings.TrimSpace(step) == "SCAN e", strings.Contains(step, "TEMP B-TREE")
		if db.Dialect == sqldb.Postgres {
			scan, sort = strings.Contains(step, "Seq Scan on catalog_entries"), strings.Contains(step, "Sort")
		}
		if scan || sorts && sort {
			return step
		}
	}
	return ""
}

// generatedN is a world whose three departments hold a catalog of n
// entries generated from the seeds s1 and s2.
func generatedN(t *testing.T, db *sqldb.DB, n int, s1, s2 uint64) *world {
	t.Helper()
	w := newWorld(t, db)
	if err := catalog.Generate(t.Context(), db, []int64{w.gajID, w.rsjID, w.scjID}, n, rand.New(rand.NewPCG(s1, s2)), nil, nil); err != nil {
		t.Fatal(err)
	}
	return w
}

// secondPagePlan is the plan of the query of catalog_entries that reads
// the second page of query as w's operator sees it, failing t when there
// is no second page.
func secondPagePlan(t *testing.T, db *sqldb.DB, w *world, query catalog.Query) string {
	t.Helper()
	ctx := t.Context()
	first, err := catalog.Search(ctx, db.Read(), w.operator, query)
	if err != nil || first.NextCursor == "" {
		t.Fatalf("%v: first page: %d entries, cursor %q, %v", query.Statuses, len(first.Items), first.NextCursor, err)
	}
	query.Cursor = first.NextCursor
	p := &explainer{Querier: db.Read(), t: t, db: db}
	if _, err := catalog.Search(ctx, p, w.operator, query); err != nil {
		t.Fatal(err)
	}
	return entriesPlan(t, p.plans)
}

var nameIndex = regexp.MustCompile(`catalog_entries_name\b`)

// TestNamePagesPlan: on both engines a page after the first of the list
// by name of every status, as the catalog export reads the catalog 100
// entries a page, reads catalog_entries_name (migration 0048) from its
// cursor on, the cursor a bound of the index (PostgreSQL's Index Cond on
// ROW(name, id), SQLite's SEARCH from name>?), with no sort and
// no scan of the catalog. Before 0048 every page sorted all the entries
// past the cursor (PostgreSQL a Parallel Seq Scan and a top-N sort,
// SQLite a MULTI-INDEX OR and a TEMP B-TREE): 0.2–0.5 s a page of a
// catalog of 100,000 entries, so that a full export outlasted the
// server's write timeout; and with the index alone, the cursor the OR of
// name > … and name = … AND id > …, PostgreSQL read no bound of it.
// The catalog is of 300 entries on SQLite, 1000 on PostgreSQL, about twice
// the fewest each engine plans so from (150, 500): at 100 SQLite, at 400
// PostgreSQL sort the page; without the index both fail at these sizes,
// and with the OR cursor PostgreSQL does.
func TestNamePagesPlan(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		n := 300
		if db.Dialect == sqldb.Postgres {
			n = 1000
		}
		w := generatedN(t, db, n, 1, 2)
		plan := secondPagePlan(t, db, w, catalog.Query{Statuses: []catalog.Status{catalog.Draft, catalog.Submitted, catalog.Rejected, catalog.Published},
			Sort: catalog.ByName, Limit: 100})
		if step := walksCatalog(db, plan, true); step != "" {
			t.Errorf("the page reads the whole catalog or sorts it (%s):\n%s", step, plan)
		}
		bound := `SEARCH e USING INDEX catalog_entries_name (name>?)`
		if db.Dialect == sqldb.Postgres {
			bound = `Index Cond: (ROW(name, id) > ROW(`
		}
		if !nameIndex.MatchString(plan) || !strings.Contains(plan, bound) {
			t.Errorf("the page does not read catalog_entries_name from its cursor (%s):\n%s", bound, plan)
		}
	})
}

// TestInProgressNamePagesPlan: on both engines a page after the first of
// the list by name of the drafts, and of the review queue (draft,
// submitted, rejected), as the console and the API list them, reads the
// few entries in progress from catalog_entries_in_progress and sorts
// them, not catalog_entries_name: with the cursor a row value on name,
// a bound of that index, SQLite (sqlite_stat1 taking each status for a
// third of the catalog) walked every name past the cursor for a few
// drafts, 0.1 ms a page becoming 80 ms at 60,000 entries. The catalog
// of 1000 entries (about 10 drafts, pages of 3) is above the fewest at
// which both engines plan so and SQLite walks catalog_entries_name with
// that cursor (600).
func TestInProgressNamePagesPlan(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := generatedN(t, db, 1000, 7, 8)
		ctx := t.Context()
		if _, err := db.Write().ExecContext(ctx, `UPDATE catalog_entries SET status = CASE id % 3 WHEN 0 THEN 'draft' WHEN 1 THEN 'submitted' ELSE 'rejected' END
			WHERE id % 100 < 3`); err != nil {
			t.Fatal(err)
		}
		if err := db.Analyze(ctx); err != nil {
			t.Fatal(err)
		}
		for _, sts := range [][]catalog.Status{{catalog.Draft}, {catalog.Draft, catalog.Submitted, catalog.Rejected}} {
			plan := secondPagePlan(t, db, w, catalog.Query{Statuses: sts, Sort: catalog.ByName, Limit: 3})
			if step := walksCatalog(db, plan, false); step != "" {
				t.Errorf("%v: the page reads the whole catalog (%s):\n%s", sts, step, plan)
			}
			if nameIndex.MatchString(plan) || !strings.Contains(plan, "catalog_entries_in_progress") {
				t.Errorf("%v: the page does not read catalog_entries_in_progress alone:\n%s", sts, plan)
			}
		}
	})
}

// TestReviewDuePlan: on both engines the list of the entries due for
// review, and its count (shown on each page of the catalog a reviewer
// opens), read the published entries by their last review from
// catalog_entries_review_due (migration 0048), with no scan of the
// catalog: before, PostgreSQL scanned every entry and SQLite walked every
// published one in catalog_entries_status_updated for the few due. The
// catalog of 300 entries (3 due) is thrice the fewest at which both
// engines plan so and SQLite, without filter's lower bound, walks
// catalog_entries_status_updated (100).
func TestReviewDuePlan(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := generatedN(t, db, 300, 3, 4)
		ctx := t.Context()
		now := time.Now()
		old := now.AddDate(-2, 0, 0)
		if _, err := db.Write().ExecContext(ctx, `UPDATE catalog_entries SET reviewed_at = $1 WHERE id % 100 = 7`, old); err != nil {
			t.Fatal(err)
		}
		if err := db.Analyze(ctx); err != nil {
			t.Fatal(err)
		}
		var due int
		if err := db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM catalog_entries WHERE id % 100 = 7`).Scan(&due); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name  string
			query catalog.Query
		}{
			{"list", catalog.Query{ReviewDue: true, Now: now, Limit: 20}},
			{"count", catalog.Query{ReviewDue: true, Now: now, Limit: 1, Count: true}},
		} {
			p := &explainer{Querier: db.Read(), t: t, db: db}
			page, err := catalog.Search(ctx, p, w.operator, c.query)
			if err != nil {
				t.Fatal(err)
			}
			if c.query.Count && page.Total != due || !c.query.Count && len(page.Items) != min(due, 20) {
				t.Errorf("%s: %d items, total %d; want %d due", c.name, len(page.Items), page.Total, due)
			}
			for _, plan := range p.plans {
				if !strings.Contains(plan, "catalog_entries") {
					continue
				}
				if step := walksCatalog(db, plan, false); step != "" {
					t.Errorf("%s reads the whole catalog (%s):\n%s", c.name, step, plan)
				}
				if !strings.Contains(plan, "catalog_entries_review_due") {
					t.Errorf("%s does not read catalog_entries_review_due:\n%s", c.name, plan)
				}
			}
		}
	})
}

// namePages is the ids of the entries of query's pages as w's operator
// reads them one after the other, stopping after the last page or once
// past most ids (pages that never end).
func namePages(t *testing.T, db *sqldb.DB, w *world, query catalog.Query, most int) []int64 {
	t.Helper()
	var got []int64
	for {
		page, err := catalog.Search(t.Context(), db.Read(), w.operator, query)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range page.Items {
			got = append(got, s.ID)
		}
		if page.NextCursor == "" || len(got) > most {
			return got
		}
		query.Cursor = page.NextCursor
	}
}

// TestNamePages: the pages of the list by name give every entry once, in
// the engine's order of name and id, over names that tie (an entry's
// name repeated in several departments and statuses) and that mix
// scripts and cases (Han, ASCII upper and lower case, full-width forms,
// a supplementary character, trailing space), pages of a few entries so
// that their cursors fall inside runs of equal names: the cursor's row
// value orders as the list's ORDER BY does, on both engines.
func TestNamePages(t *testing.T) {
	names := []string{"户籍人口基本信息", "户籍人口基本信息A", "户籍人口基本信息a", "ABC企业登记信息", "abc企业登记信息",
		"Abc企业登记信息", "ＡＢＣ企业登记信息", "𠀀地名信息", "地名信息", "地名信息 ", "a", "A", "B", "b", "_下划线", "0号目录"}
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		ctx := t.Context()
		if err := catalog.Generate(ctx, db, []int64{w.gajID, w.rsjID, w.scjID}, 400, rand.New(rand.NewPCG(5, 6)), names, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Write().ExecContext(ctx, `UPDATE catalog_entries SET status = 'draft' WHERE id % 3 = 0`); err != nil {
			t.Fatal(err)
		}
		want, err := sqldb.IDs(ctx, db.Read(), `SELECT id FROM catalog_entries ORDER BY name, id`)
		if err != nil {
			t.Fatal(err)
		}
		rows := sqldbtest.QueryRows(t, db.Read(), `SELECT name FROM catalog_entries GROUP BY name HAVING COUNT(*) > 3`)
		if len(rows) < len(names)/2 {
			t.Fatalf("only %d names repeated more than 3 times, want runs of ties", len(rows))
		}
		for _, limit := range []int{1, 3, 7} {
			got := namePages(t, db, w, catalog.Query{Statuses: []catalog.Status{catalog.Draft, catalog.Submitted, catalog.Rejected, catalog.Published},
				Sort: catalog.ByName, Limit: limit}, len(want))
			if !slices.Equal(got, want) {
				t.Errorf("pages of %d: %d entries, want %d in the order of name, id:\ngot  %v\nwant %v", limit, len(got), len(want), got, want)
			}
		}
		want, err = sqldb.IDs(ctx, db.Read(), `SELECT id FROM catalog_entries WHERE status = 'draft' ORDER BY name, id`)
		if err != nil {
			t.Fatal(err)
		}
		for _, limit := range []int{1, 3, 7} {
			got := namePages(t, db, w, catalog.Query{Statuses: []catalog.Status{catalog.Draft}, Sort: catalog.ByName, Limit: limit}, len(want))
			if !slices.Equal(got, want) {
				t.Errorf("drafts, pages of %d: %d entries, want %d in the order of name, id:\ngot  %v\nwant %v", limit, len(got), len(want), got, want)
			}
		}
	})
}
