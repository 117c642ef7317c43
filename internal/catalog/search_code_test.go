package catalog_test

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// A query that is a resource code, or a prefix of one holding its
// classification code, finds the entries with that code: the code printed
// on every card found nothing.
func TestSearchByCode(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		es := corpus(t, w)
		other := household()
		other.Name = "出入境证件信息"
		other.Classification.SubcategoryCode, other.Classification.SubcategoryName = "002", "出入境"
		es[other.Name] = publish(t, w, w.gaj, other)
		first := es["户籍人口基本信息"]
		var class []string // the codes of classification 101001
		for _, e := range es {
			if strings.HasPrefix(e.Code, "101001/") {
				class = append(class, e.Code)
			}
		}
		if len(class) < 2 || !strings.HasPrefix(es[other.Name].Code, "101002/") {
			t.Fatalf("codes %v, %s", class, es[other.Name].Code)
		}
		slices.Sort(class)
		codes := func(p catalog.Page) []string {
			var out []string
			for _, s := range p.Items {
				out = append(out, s.Code)
			}
			return out
		}
		tests := []struct {
			q     string
			want  []string // first, then the rest in any order
			first string
		}{
			{first.Code, []string{first.Code}, first.Code},
			{" " + strings.ReplaceAll(strings.ReplaceAll(first.Code, "/", "／"), "1", "１") + " ", []string{first.Code}, first.Code},
			{"101001", class, ""},
			{"101001/", class, ""},
			{"101001/0000", class, ""},
			{"101002", []string{es[other.Name].Code}, es[other.Name].Code},
			{"101003", nil, ""},
		}
		for _, tt := range tests {
			for _, sort := range []catalog.Sort{catalog.ByRelevance, catalog.ByUpdated, catalog.ByName} {
				p, err := catalog.Search(ctx, db.Read(), w.operator, catalog.Query{Text: tt.q, Sort: sort, Facets: true})
				if err != nil {
					t.Fatalf("%q: %v", tt.q, err)
				}
				got := codes(p)
				slices.Sort(got)
				if !slices.Equal(got, tt.want) || p.Total != len(tt.want) {
					t.Errorf("%q %s: %v (total %d), want %v", tt.q, sort, codes(p), p.Total, tt.want)
				}
				if tt.first != "" && sort == catalog.ByRelevance && (len(p.Items) == 0 || p.Items[0].Code != tt.first) {
					t.Errorf("%q: %v, want %s first", tt.q, codes(p), tt.first)
				}
			}
		}
		// Paging by one gives each entry of the classification once, and
		// filters apply.
		var paged []string
		query := catalog.Query{Text: "101001", Limit: 1, Count: true}
		for {
			p, err := catalog.Search(ctx, db.Read(), w.operator, query)
			if err != nil {
				t.Fatal(err)
			}
			if p.Total != len(class) {
				t.Fatalf("paged total %d, want %d", p.Total, len(class))
			}
			paged = append(paged, codes(p)...)
			if p.NextCursor == "" {
				break
			}
			query.Cursor = p.NextCursor
		}
		slices.Sort(paged)
		if !slices.Equal(paged, class) {
			t.Errorf("paged %v, want %v", paged, class)
		}
		p, err := catalog.Search(ctx, db.Read(), w.operator, catalog.Query{Text: "101001", DepartmentID: w.rsjID, Count: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Items) != 1 || p.Items[0].Name != "社会保险参保信息" || p.Total != 1 {
			t.Errorf("101001 of 人社局: %v (total %d)", names(p), p.Total)
		}
	})
}

// TestCodePrefixPlan: on SQLite a code prefix is read from the unique
// index on catalog_entries.code, never by scanning the catalog (LIKE
// '101001%' did: SQLite's LIKE is case blind and uses no index), and finds
// exactly the codes with that prefix, with and without the "/".
func TestCodePrefixPlan(t *testing.T) {
	db := sqldbtest.SQLite(t)
	w := newWorld(t, db)
	ctx := t.Context()
	if err := catalog.Generate(ctx, db, []int64{w.gajID, w.rsjID, w.scjID}, 2000, rand.New(rand.NewPCG(1, 2)), nil, nil); err != nil {
		t.Fatal(err)
	}
	if err := db.Analyze(ctx); err != nil {
		t.Fatal(err)
	}
	var all []string
	rows, err := db.Read().QueryContext(ctx, `SELECT code FROM catalog_entries`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		all = append(all, c)
	}
	rows.Close()
	for _, prefix := range []string{"305001", "305001/", "305001/0000", "305001/00001", "330001", "309001"} {
		var want []string
		for _, c := range all {
			if strings.HasPrefix(c, prefix) {
				want = append(want, c)
			}
		}
		p := &planner{Querier: db.Read(), t: t}
		page, err := catalog.Search(ctx, p, w.operator, catalog.Query{Text: prefix, Limit: 100, Facets: true})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, s := range page.Items {
			got = append(got, s.Code)
		}
		slices.Sort(got)
		slices.Sort(want)
		if len(want) == 0 || len(want) > 100 || !slices.Equal(got, want) || page.Total != len(want) {
			t.Errorf("%s: %v (total %d), want %v", prefix, got, page.Total, want)
		}
		indexed := false
		for _, step := range p.steps {
			if strings.HasPrefix(step, "SCAN e") {
				t.Errorf("%s: %q reads the whole catalog; plan %q", prefix, step, p.steps)
			}
			indexed = indexed || strings.Contains(step, "INDEX sqlite_autoindex_catalog_entries_1 (code>? AND code<?)")
		}
		if !indexed {
			t.Errorf("%s: plan %q, want the range of the index on code", prefix, p.steps)
		}
	}
}

// A query that is a code or a prefix of one also finds, below the entries
// with that code, the entries whose text holds it, as before codes were
// searched: a name with 110105 (a region code) or 101001, an abstract
// citing 101001/000001. Filters, sorts, paging, facets and the total are
// those of the two together, each entry once.
func TestSearchByCodeAndText(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		es := corpus(t, w)
		first := es["户籍人口基本信息"]
		var class []string // the codes of classification 101001
		for _, e := range es {
			if strings.HasPrefix(e.Code, "101001/") {
				class = append(class, e.Code)
			}
		}
		other := func(name, abstract string) catalog.Entry {
			r := household()
			r.Name, r.Abstract = name, abstract
			r.Classification.SubcategoryCode, r.Classification.SubcategoryName = "002", "出入境"
			return publish(t, w, w.gaj, r)
		}
		region := other("110105辖区人口统计信息", "东城区人口的年度统计")
		named := other("101001号地块户籍迁入信息", "迁入本地块的户籍人口")
		cited := other("户籍变动通知信息", "户籍变动时通知相关部门，数据来源 "+first.Code)
		codes := func(p catalog.Page) []string {
			var out []string
			for _, s := range p.Items {
				out = append(out, s.Code)
			}
			return out
		}
		tests := []struct {
			q      string
			byCode []string // first, in any order
			byText []string // then in this order
		}{
			{"110105", nil, []string{region.Code}},
			{"１１０１０５", nil, []string{region.Code}},
			{"101001", class, []string{named.Code, cited.Code}},
			{first.Code, []string{first.Code}, []string{cited.Code}},
		}
		for _, tt := range tests {
			want := append(slices.Clone(tt.byCode), tt.byText...)
			for _, sort := range []catalog.Sort{catalog.ByRelevance, catalog.ByUpdated, catalog.ByName} {
				p, err := catalog.Search(ctx, db.Read(), w.operator, catalog.Query{Text: tt.q, Sort: sort, Facets: true})
				if err != nil {
					t.Fatalf("%q: %v", tt.q, err)
				}
				got := codes(p)
				if sort == catalog.ByRelevance && (len(got) != len(want) ||
					!slices.Equal(got[len(tt.byCode):], tt.byText)) {
					t.Errorf("%q: %v, want %v then %v", tt.q, got, tt.byCode, tt.byText)
				}
				got, all := slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))
				if !slices.Equal(got, all) || p.Total != len(want) {
					t.Errorf("%q %s: %v (total %d), want %v", tt.q, sort, codes(p), p.Total, want)
				}
				n := 0
				for _, f := range p.Facets["department_id"] {
					n += f.Count
				}
				if n != len(want) {
					t.Errorf("%q %s: department facet counts %d, want %d", tt.q, sort, n, len(want))
				}
			}
		}
		// Paging by one gives the same order, each entry once, across the
		// step from codes to text.
		whole, err := catalog.Search(ctx, db.Read(), w.operator, catalog.Query{Text: "101001", Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, sort := range []catalog.Sort{catalog.ByRelevance, catalog.ByName} {
			var paged []string
			query := catalog.Query{Text: "101001", Sort: sort, Limit: 1, Count: true}
			for {
				p, err := catalog.Search(ctx, db.Read(), w.operator, query)
				if err != nil {
					t.Fatal(err)
				}
				if p.Total != len(class)+2 {
					t.Fatalf("paged total %d, want %d", p.Total, len(class)+2)
				}
				paged = append(paged, codes(p)...)
				if p.NextCursor == "" {
					break
				}
				query.Cursor = p.NextCursor
			}
			if sort == catalog.ByRelevance && !slices.Equal(paged, codes(whole)) {
				t.Errorf("paged %v, want %v", paged, codes(whole))
			}
			if slices.Sort(paged); len(slices.Compact(paged)) != len(class)+2 {
				t.Errorf("%s: paged %v, want %d entries once each", sort, paged, len(class)+2)
			}
		}
		// A filter applies to both.
		p, err := catalog.Search(ctx, db.Read(), w.operator, catalog.Query{Text: "101001", DepartmentID: w.rsjID, Count: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Items) != 1 || p.Items[0].Name != "社会保险参保信息" || p.Total != 1 {
			t.Errorf("101001 of 人社局: %v (total %d)", names(p), p.Total)
		}
	})
}
