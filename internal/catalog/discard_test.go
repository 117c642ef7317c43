package catalog_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// catalogRows renders every row of the tables kept for catalog entries,
// sorted, so that two states of the catalog compare as strings: a row left
// behind or missing shows. catalog_entries.discarded_version, the number
// a discard keeps from being given again, is left out.
func catalogRows(t *testing.T, db *sqldb.DB) string {
	t.Helper()
	var sb strings.Builder
	for _, table := range []string{"catalog_entries", "catalog_entry_versions", "catalog_search_tokens",
		"catalog_item_keys", "catalog_source_conflicts", "catalog_authoritative_items", "catalog_facet_counts",
		"record_entry_rules"} {
		rows, err := db.Read().QueryContext(context.Background(), `SELECT * FROM `+table)
		if err != nil {
			t.Fatal(err)
		}
		cols, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var line strings.Builder
			for i, v := range vals {
				if cols[i] == "discarded_version" {
					continue
				}
				if b, ok := v.([]byte); ok {
					v = string(b)
				}
				fmt.Fprintf(&line, "%s=%v ", cols[i], v)
			}
			lines = append(lines, line.String())
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		slices.Sort(lines)
		fmt.Fprintf(&sb, "%s:\n%s\n", table, strings.Join(lines, "\n"))
	}
	return sb.String()
}

// TestDiscardRevision: a department discards the revision of a published
// entry, compiled (draft) or sent back from its review with the source
// conflicts found on submission, and the entry, what Get, Working, Search
// (hits and facet counts, for the department and for others) and Conflicts
// answer and every row kept for the catalog are again as they were before
// the revision was opened; the audit row names the discarded version. An
// entry without a revision, one whose revision is under review, another
// department's, a reviewer and an unknown entry are refused and change
// nothing.
func TestDiscardRevision(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		e := publish(t, w, w.gaj, household())
		insured := household()
		insured.Name = "参保人员信息"
		insured.Items = []catalog.Item{
			{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true},
			{Name: "参保状态", Type: "C", Length: 20},
		}
		publish(t, w, w.rsj, insured)

		discard := func(by catalog.Actor, id int64) (catalog.Entry, error) {
			return step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.DiscardRevision(ctx, tx, by, id, t0.Add(3600e9))
			})
		}
		// view is what the catalog answers about the entry.
		view := func() string {
			t.Helper()
			var out []any
			for _, by := range []catalog.Actor{w.gaj, w.rsj} {
				got, err := catalog.Get(ctx, db.Read(), by, e.ID)
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, got)
				if by == w.gaj {
					working, err := catalog.Working(ctx, db.Read(), by, e.ID)
					if err != nil {
						t.Fatal(err)
					}
					out = append(out, working)
				}
				for _, q := range []catalog.Query{
					{Facets: true, Limit: 50},
					{Text: "户籍", Facets: true, Limit: 50},
					{Statuses: []catalog.Status{catalog.Draft, catalog.Rejected, catalog.Submitted}, Facets: true, Limit: 50},
					{Statuses: []catalog.Status{catalog.Rejected}, Facets: true, Limit: 50},
					{Text: "参保状态", Statuses: []catalog.Status{catalog.Draft, catalog.Rejected, catalog.Published}, Facets: true, Limit: 50},
				} {
					p, err := catalog.Search(ctx, db.Read(), by, q)
					if err != nil {
						t.Fatal(err)
					}
					out = append(out, p)
				}
				vs, err := catalog.Versions(ctx, db.Read(), by, e.ID)
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, vs)
			}
			cs, err := catalog.Conflicts(ctx, db.Read(), w.gaj, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, cs)
			b, err := json.MarshalIndent(out, "", " ")
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
		same := func(what, wantRows, wantView string) {
			t.Helper()
			if got := catalogRows(t, db); got != wantRows {
				t.Errorf("%s: the catalog's rows differ:\n%s\nwant\n%s", what, got, wantRows)
			}
			if got := view(); got != wantView {
				t.Errorf("%s: the catalog answers\n%s\nwant\n%s", what, got, wantView)
			}
		}
		auditDetail := func() []string {
			t.Helper()
			rows, err := db.Read().QueryContext(ctx, `SELECT detail FROM audit_log WHERE action = 'catalog.revision.discard'
				AND object_id = $1 ORDER BY seq`, strconv.FormatInt(e.ID, 10))
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var out []string
			for rows.Next() {
				var d string
				if err := rows.Scan(&d); err != nil {
					t.Fatal(err)
				}
				out = append(out, d)
			}
			return out
		}
		revised := household()
		revised.Abstract += "（修订）"
		revised.Items = append(revised.Items, catalog.Item{Name: "参保状态", Type: "C", Length: 20})
		// Each revision takes a number of its own: a discarded one's is not
		// given again.
		revise := func(want int) {
			t.Helper()
			got := mustStep(t, w, "revise", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.Update(ctx, tx, w.gaj, e.ID, revised, t0.Add(60e9))
			})
			if got.Version != want {
				t.Fatalf("the revision is version %d, want %d", got.Version, want)
			}
		}
		refuse := func(what string, by catalog.Actor, id int64, kind errs.Kind, code string) {
			t.Helper()
			rows, answers, audited := catalogRows(t, db), view(), len(auditDetail())
			_, err := discard(by, id)
			if x := errs.As(err); x == nil || x.Kind != kind || x.Code != code {
				t.Errorf("%s: got %v, want %s %s", what, err, kind, code)
			}
			same(what, rows, answers)
			if n := len(auditDetail()); n != audited {
				t.Errorf("%s: %d audit rows of discards, want %d", what, n, audited)
			}
		}

		draft := create(t, w, w.gaj, func() catalog.Resource {
			r := household()
			r.Name = "流动人口居住登记信息"
			return r
		}())
		beforeRows, beforeView := catalogRows(t, db), view()
		refuse("an entry without a revision", w.gaj, e.ID, errs.Conflict, "no_revision")

		// A revision compiled, never submitted.
		revise(2)
		if catalogRows(t, db) == beforeRows {
			t.Fatal("opening a revision changed no row (the comparison cannot see it)")
		}
		refuse("another department", w.rsj, e.ID, errs.Forbidden, "forbidden")
		refuse("a reviewer", w.operator, e.ID, errs.Forbidden, "forbidden")
		refuse("an unknown entry", w.gaj, 99999, errs.NotFound, "entry_not_found")
		got, err := discard(w.gaj, e.ID)
		if err != nil {
			t.Fatalf("discard the draft revision: %v", err)
		}
		if got.WorkingVersion != 0 || got.WorkingStatus != "" || got.Version != 1 || got.Abstract != household().Abstract {
			t.Errorf("discard returned version %d working %d %q, abstract %q", got.Version, got.WorkingVersion,
				got.WorkingStatus, got.Abstract)
		}
		same("after discarding the draft revision", beforeRows, beforeView)
		if d := auditDetail(); len(d) != 1 || !strings.Contains(d[0], `"version":"2"`) {
			t.Errorf("audit rows of the discard: %q, want one naming version 2", d)
		}

		// A revision sent back from its review, with source conflicts.
		revise(3)
		mustStep(t, w, "submit", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Submit(ctx, tx, w.gaj, e.ID, t0.Add(120e9))
		})
		cs, err := catalog.Conflicts(ctx, db.Read(), w.gaj, e.ID)
		if err != nil || len(cs) == 0 {
			t.Fatalf("the submitted revision's source conflicts: %d, %v (the test needs some)", len(cs), err)
		}
		refuse("a revision under review", w.gaj, e.ID, errs.Conflict, "entry_submitted")
		mustStep(t, w, "reject", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Reject(ctx, tx, w.operator, e.ID, "参保状态应由人社局提供", t0.Add(180e9))
		})
		if _, err := discard(w.gaj, e.ID); err != nil {
			t.Fatalf("discard the rejected revision: %v", err)
		}
		same("after discarding the rejected revision", beforeRows, beforeView)
		if d := auditDetail(); len(d) != 2 || !strings.Contains(d[1], `"version":"3"`) {
			t.Errorf("audit rows of the discards: %q, want a second naming version 3", d)
		}
		refuse("a revision already discarded", w.gaj, e.ID, errs.Conflict, "no_revision")

		refuse("a draft never published", w.gaj, draft.ID, errs.Conflict, "no_revision")

		// The entry is revised again as if the discarded one had never been,
		// but for its number.
		revise(4)
		if _, err := discard(w.gaj, e.ID); err != nil {
			t.Fatal(err)
		}
		if catalogRows(t, db) != beforeRows {
			t.Error("a third revision discarded leaves the catalog changed")
		}
	})
}
