package catalog_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestSynonymSearchPrecision: 户籍地 is a form of 户籍地址 to the
// one-data-one-source rule, but a query for 户籍地址 (or 户籍住址, 户籍所在地)
// must not find a draft named 非户籍地流动人员从业登记信息, which holds 户籍地's
// bigrams and no 地址; the entry holding the item 户籍地址 is found, and a
// query for 户籍地 still finds both.
func TestSynonymSearchPrecision(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		huji := create(t, w, w.gaj, household())
		r := household()
		r.Name, r.Abstract = "非户籍地流动人员从业登记信息", "在本区从业的外来流动人员登记情况"
		r.Items = []catalog.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, {Name: "姓名", Type: "C", Length: 50}}
		migrant := create(t, w, w.rsj, r)
		found := func(text string) map[int64]bool {
			t.Helper()
			p, err := catalog.Search(ctx, db.Read(), w.operator, catalog.Query{Text: text,
				Statuses: []catalog.Status{catalog.Draft}, Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			ids := map[int64]bool{}
			for _, it := range p.Items {
				ids[it.ID] = true
			}
			return ids
		}
		for _, q := range []string{"户籍地址", "户籍住址", "户籍所在地"} {
			if got := found(q); !got[huji.ID] || got[migrant.ID] {
				t.Errorf("q=%s: found %v, want %d (户籍地址) and not %d (非户籍地…)", q, got, huji.ID, migrant.ID)
			}
		}
		if got := found("户籍地"); !got[huji.ID] || !got[migrant.ID] {
			t.Errorf("q=户籍地: found %v, want both", got)
		}
	})
}
