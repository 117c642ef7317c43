package catalog_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// A text with nothing to search for finds nothing: 😀, %, _, * and \
// browsed the whole catalog, labelled as a search for them.
func TestSearchNoSearchableText(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		corpus(t, w)
		for _, q := range []string{"😀", "%", "_", "*", `\`, " % ", "！？", "😀 %"} {
			for _, sort := range []catalog.Sort{catalog.ByRelevance, catalog.ByUpdated, catalog.ByName} {
				p, err := catalog.Search(ctx, db.Read(), w.operator, catalog.Query{Text: q, Sort: sort, Facets: true})
				if err != nil {
					t.Fatalf("%q: %v", q, err)
				}
				if len(p.Items) != 0 || p.Total != 0 || p.NextCursor != "" {
					t.Errorf("%q %s: %v (total %d), want none", q, sort, names(p), p.Total)
				}
				for f, fs := range p.Facets {
					if len(fs) != 0 {
						t.Errorf("%q: facet %s %v, want none", q, f, fs)
					}
				}
			}
		}
		// No text, or white space alone, still browses; a searchable word
		// beside the noise still finds.
		for _, q := range []string{"", "  ", "户籍😀"} {
			p, err := catalog.Search(ctx, db.Read(), w.operator, catalog.Query{Text: q, Count: true})
			if err != nil {
				t.Fatal(err)
			}
			if p.Total == 0 {
				t.Errorf("%q found nothing", q)
			}
		}
	})
}
