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

// TestInvisibleNames: an entry's or a data item's name holding an
// invisible character (zero-width space, BOM, Hangul filler, variation
// selector) is refused as invalid_characters with a Chinese message, so
// that 姓名, 姓\u200b名 and 姓名\ufeff are not three items shown alike and
// 零宽\u200b测试目录 not a second 零宽测试目录; a required text of invisible
// characters alone is missing (abstract_required, share_scope_required,
// item_name_required). A name with the compatibility ideograph U+F9D1 is
// stored with U+516D, so that 王六 written either way is one name
// (duplicate_entry_name) and one item (duplicate_item_name). Before, all
// of these were created.
func TestInvisibleNames(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		try := func(r catalog.Resource) (catalog.Entry, error) {
			return step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.Create(ctx, tx, w.gaj, w.gajID, r, t0)
			})
		}
		refused := func(what string, r catalog.Resource, field, code string) {
			t.Helper()
			_, err := try(r)
			ee := errs.As(err)
			if ee == nil {
				t.Errorf("%s: created, want %s on %s", what, code, field)
				return
			}
			if ee.Field == field && ee.Code == code && strings.ContainsFunc(ee.Message, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) {
				return
			}
			t.Errorf("%s: %v, want %s on %s", what, err, code, field)
		}
		for _, name := range []string{"姓\u200b名", "姓名\ufeff"} {
			r := household()
			r.Items = append(r.Items, catalog.Item{Name: name, Type: "C", Length: 50})
			refused("item "+name, r, "items[4].name", "invalid_characters")
		}
		r := household()
		r.Items = append(r.Items, catalog.Item{Name: "王\u516d", Type: "C", Length: 50}, catalog.Item{Name: "王\uf9d1", Type: "C", Length: 50})
		refused("items 王六 and 王\\uf9d1", r, "items[5].name", "duplicate_item_name")
		for _, name := range []string{"零宽\u200b测试目录", "\ufeff零宽测试目录", "零宽测试目录\u3164", "零宽测试目录\ufe0f"} {
			r = household()
			r.Name = name
			refused("name "+name, r, "name", "invalid_characters")
		}
		r = household()
		r.Abstract = "\u200b"
		refused("abstract \\u200b", r, "abstract", "abstract_required")
		r = household()
		r.ShareScope = "\u3164\u200b"
		refused("share scope of fillers", r, "share_scope", "share_scope_required")
		r = household()
		r.Items[1].Name = "\u200b"
		refused("item name \\u200b", r, "items[1].name", "item_name_required")

		r = household()
		r.Name = "王\uf9d1人员信息"
		e, err := try(r)
		if err != nil || e.Name != "王\u516d人员信息" {
			t.Fatalf("王\\uf9d1人员信息: %q %v, want stored as 王六人员信息", e.Name, err)
		}
		r.Name = "王\u516d人员信息"
		refused("王六人员信息 after 王\\uf9d1人员信息", r, "name", "duplicate_entry_name")
		if got, err := catalog.Get(ctx, db.Read(), w.gaj, e.ID); err != nil || got.Name != "王\u516d人员信息" {
			t.Errorf("stored name %q (%v)", got.Name, err)
		}
	})
}
