package catalog_test

import (
	"fmt"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCursorDefaultStatus: a list asked without statuses is the list of
// the published entries, so its cursor pages it when the next page is
// asked with status=published, with published twice, or (the other way)
// without statuses again; it was refused (invalid_cursor) as another list.
func TestCursorDefaultStatus(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		w := newWorld(t, db)
		for i := range 3 {
			r := household()
			r.Name = fmt.Sprintf("户籍公开%d", i)
			publish(t, w, w.gaj, r)
		}
		published := []catalog.Status{catalog.Published}
		for _, c := range []struct {
			name        string
			first, next []catalog.Status
		}{
			{"default, then published", nil, published},
			{"published, then default", published, nil},
			{"default, then published twice", nil, []catalog.Status{catalog.Published, catalog.Published}},
		} {
			for _, pub := range []bool{false, true} {
				search := func(q catalog.Query) (page struct {
					n    int
					next string
				}, err error) {
					if pub {
						p, err := catalog.Public(ctx, db.Read(), q)
						page.n, page.next = len(p.Items), p.NextCursor
						return page, err
					}
					p, err := catalog.Search(ctx, db.Read(), w.gaj, q)
					page.n, page.next = len(p.Items), p.NextCursor
					return page, err
				}
				first, err := search(catalog.Query{Statuses: c.first, Sort: catalog.ByName, Limit: 2})
				if err != nil || first.next == "" {
					t.Fatalf("%s (public %v): first page %+v, %v", c.name, pub, first, err)
				}
				next, err := search(catalog.Query{Statuses: c.next, Sort: catalog.ByName, Limit: 2, Cursor: first.next})
				if err != nil || next.n != 1 {
					t.Errorf("%s (public %v): next page %d items, %v; want the third entry", c.name, pub, next.n, err)
				}
			}
		}
	})
}
