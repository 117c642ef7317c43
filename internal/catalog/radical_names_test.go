package catalog_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRadicalNames: a name written with radicals of the CJK Radicals
// Supplement (⻋ U+2ECB, ⻔ U+2ED4), as text copied out of a PDF holds
// them, is the name written with the ideographs they look like (车, 门):
// ⻋辆⻔户测试资源 after 车辆门户测试资源 is duplicate_entry_name, items
// 车牌号码 and ⻋牌号码 are duplicate_item_name, and an entry stored under
// the radicals' key before is re-keyed by RekeyNames and then found by a
// search for 车辆. Before, both entries and both items were created.
func TestRadicalNames(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		create := func(r catalog.Resource) error {
			_, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.Create(ctx, tx, w.gaj, w.gajID, r, t0)
			})
			return err
		}
		refused := func(what string, err error, field, code string) {
			t.Helper()
			if ee := errs.As(err); ee == nil || ee.Field != field || ee.Code != code {
				t.Errorf("%s: %v, want %s on %s", what, err, code, field)
			}
		}
		r := household()
		r.Name = "车辆门户测试资源"
		if err := create(r); err != nil {
			t.Fatal(err)
		}
		r.Name = "\u2ecb辆\u2ed4户测试资源"
		refused(r.Name, create(r), "name", "duplicate_entry_name")
		r = household()
		r.Name = "车牌测试资源"
		r.Items = append(r.Items, catalog.Item{Name: "车牌号码", Type: "C", Length: 20}, catalog.Item{Name: "\u2ecb牌号码", Type: "C", Length: 20})
		refused("items 车牌号码 and ⻋牌号码", create(r), "items[5].name", "duplicate_item_name")

		r = household()
		r.Name = "旧名资源"
		e := publish(t, w, w.gaj, r)
		// As a release before today stored it: the radicals kept in the
		// name, its key and the search postings of its data.
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			var data string
			if err := tx.QueryRowContext(ctx, `SELECT data FROM catalog_entries WHERE id = $1`, e.ID).Scan(&data); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `UPDATE catalog_entries SET name = $2, name_key = $2, data = $3 WHERE id = $1`,
				e.ID, "\u2ee2\u2ecb测试资源", strings.Replace(data, "旧名资源", "\u2ee2\u2ecb测试资源", 1))
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if n, err := catalog.RekeyNames(ctx, db, nil); err != nil || n != 1 {
			t.Fatalf("RekeyNames: %d changed, %v; want 1", n, err)
		}
		var key string
		if err := db.Read().QueryRowContext(ctx, `SELECT name_key FROM catalog_entries WHERE id = $1`, e.ID).Scan(&key); err != nil ||
			key != catalog.NameKey("马车测试资源") {
			t.Errorf("key %q (%v), want %q", key, err, catalog.NameKey("马车测试资源"))
		}
		r = household()
		r.Name = "马车测试资源"
		refused(r.Name+" after the re-key", create(r), "name", "duplicate_entry_name")
		p, err := catalog.Search(ctx, db.Read(), w.operator, catalog.Query{Text: "马车测试", Statuses: []catalog.Status{catalog.Published}, Limit: 50})
		if err != nil || len(p.Items) != 1 || p.Items[0].ID != e.ID {
			t.Errorf("search 马车测试: %+v, %v; want the re-keyed entry", p.Items, err)
		}
	})
}
