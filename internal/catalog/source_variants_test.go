package catalog_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestOneSourceItemVariants: 出生年月, 户籍地, 户籍住址, 户籍所在地 and 婚姻状态,
// as other departments write the police's 出生日期, 户籍地址 and 婚姻状况,
// are the same data items to the one-data-one-source rule (ItemKey) and
// conflict with them. 出生年月 may be kept to the month, but it is derived
// from the same source as 出生日期: a second source of it is what the rule
// is there to find.
func TestOneSourceItemVariants(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		police := household()
		police.Items = append(police.Items, catalog.Item{Name: "婚姻状况", Type: "C", Length: 10})
		publish(t, w, w.gaj, police)
		for _, tc := range []struct {
			name  string
			items []string
		}{
			{"社会保险参保信息", []string{"出生年月", "户籍地", "婚姻状态"}},
			{"社会保险待遇信息", []string{"户籍住址"}},
			{"社会保险缴费信息", []string{"户籍所在地"}},
		} {
			r := insured()
			r.Name = tc.name
			r.Items = r.Items[:1]
			for _, n := range tc.items {
				r.Items = append(r.Items, catalog.Item{Name: n, Type: "C", Length: 50})
			}
			e := create(t, w, w.rsj, r)
			mustStep(t, w, "submit", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.Submit(ctx, tx, w.rsj, e.ID, t0)
			})
			cs, err := catalog.Conflicts(ctx, db.Read(), w.operator, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, c := range cs {
				got[c.ItemName] = c.ItemKey
			}
			want := map[string]string{"出生年月": "出生日期", "户籍地": "户籍地址", "户籍住址": "户籍地址",
				"户籍所在地": "户籍地址", "婚姻状态": "婚姻状况"}
			for _, n := range tc.items {
				if got[n] != want[n] {
					t.Errorf("%s: item %s conflicts as %q, want %q (conflicts %+v)", tc.name, n, got[n], want[n], cs)
				}
			}
			if len(cs) != len(tc.items) {
				t.Errorf("%s: got %d conflicts, want %d: %+v", tc.name, len(cs), len(tc.items), cs)
			}
		}
	})
}
