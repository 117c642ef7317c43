package catalog_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

func TestSmoke(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		e := publish(t, w, w.gaj, household())
		if e.Status != catalog.Published || e.Code != "101001/000001" {
			t.Fatalf("got %s %s", e.Status, e.Code)
		}
		p, err := catalog.Search(t.Context(), db.Read(), w.rsj, catalog.Query{Text: "户籍", Facets: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%+v", p)
	})
}
