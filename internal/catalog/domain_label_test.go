package catalog_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestOtherDomainLabel: an entry of domain 其他 naming its domain (低空经济)
// is labelled 其他（低空经济） alike in the lists (Summary.DomainLabel, found
// by text or by code; the public catalog) and on its page
// (Resource.DomainLabel), where the lists said 其他 and the page 低空经济;
// the facet still counts it under 其他, and another domain keeps its name.
// The lists ask for the label (Query.DomainLabels, a query more); a search
// that does not, as a count does, labels it 其他 and reads no entry's data.
func TestOtherDomainLabel(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		r := household()
		r.Domain, r.DomainOther = catalog.DomainOther, "低空经济"
		other := publish(t, w, w.gaj, r)
		plain := household()
		plain.Name = "户籍人口变动信息"
		known := publish(t, w, w.gaj, plain)
		const want = "其他（低空经济）"
		knownLabel := known.DomainLabel()
		if knownLabel == "" || knownLabel == want {
			t.Fatalf("domain %s labelled %q", plain.Domain, knownLabel)
		}
		for _, q := range []string{"户籍", other.Code} {
			p, err := catalog.Search(ctx, db.Read(), w.operator, catalog.Query{Text: q, Facets: true, DomainLabels: true})
			if err != nil {
				t.Fatal(err)
			}
			labels := map[int64]string{}
			for _, s := range p.Items {
				labels[s.ID] = s.DomainLabel
			}
			if labels[other.ID] != want || (q == "户籍" && labels[known.ID] != knownLabel) {
				t.Errorf("search %s: labels %v, want %s for %d and %s for %d", q, labels, want, other.ID, knownLabel, known.ID)
			}
			for _, f := range p.Facets["domain"] {
				if f.Value == catalog.DomainOther && f.Label != "其他" {
					t.Errorf("search %s: facet 99 labelled %q, want 其他", q, f.Label)
				}
			}
		}
		count, err := catalog.Search(ctx, db.Read(), w.operator, catalog.Query{Text: other.Code, Count: true, Limit: 1})
		if err != nil || len(count.Items) != 1 || count.Items[0].DomainLabel != "其他" {
			t.Errorf("count: %+v %v, want %d labelled 其他", count.Items, err, other.ID)
		}
		e, err := catalog.Get(ctx, db.Read(), w.operator, other.ID)
		if err != nil || e.DomainLabel() != want {
			t.Errorf("page: %q %v, want %s", e.DomainLabel(), err, want)
		}
		pub, err := catalog.Public(ctx, db.Read(), catalog.Query{Text: other.Code})
		if err != nil || len(pub.Items) != 1 || pub.Items[0].Domain != want {
			t.Errorf("public list: %+v %v, want %s", pub.Items, err, want)
		}
		page, err := catalog.PublicByCode(ctx, db.Read(), other.Code)
		if err != nil || page.Domain != want {
			t.Errorf("public page: %q %v, want %s", page.Domain, err, want)
		}
	})
}
