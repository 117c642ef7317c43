package catalog_test

import (
	"context"
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
