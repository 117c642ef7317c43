package catalog_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCodeQueryFolded: a resource code searched with a zero-width space
// or a BOM pasted with it finds its entry, in the console's list and the
// public catalog, as the public lookup by code and the import read such a
// code (text.FoldCode). Before, the query was not read as a code and found
// nothing.
func TestCodeQueryFolded(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		e := publish(t, w, w.gaj, household())
		for _, q := range []string{e.Code + "\u200b", "\ufeff" + e.Code, "\u200b" + e.Code + "\u3000"} {
			p, err := catalog.Search(ctx, db.Read(), w.operator, catalog.Query{Text: q, Statuses: []catalog.Status{catalog.Published}, Limit: 10})
			if err != nil || len(p.Items) == 0 || p.Items[0].ID != e.ID {
				t.Errorf("search %q: %+v, %v; want %s first", q, p.Items, err, e.Code)
			}
			pub, err := catalog.Public(ctx, db.Read(), catalog.Query{Text: q, Limit: 10})
			if err != nil || len(pub.Items) == 0 || pub.Items[0].Code != e.Code {
				t.Errorf("public %q: %+v, %v; want %s first", q, pub.Items, err, e.Code)
			}
		}
	})
}

// TestCodesFoldedInEntry: a related code typed full width (１０１００１／
// ０００００１) or with a zero-width space, and a 项 or 目 code typed full
// width (０１, ００１), are stored in ASCII, as a resource code typed so is
// read: before, they were refused as invalid_related_code and
// invalid_category_code / invalid_subcategory_code.
func TestCodesFoldedInEntry(t *testing.T) {
	r := household()
	r.Classification.CategoryCode, r.Classification.SubcategoryCode = "０１", "００１"
	r.RelatedCodes = []string{"１０１００１／０００００２", "101001/000003\u200b", "\ufeff101001/000004"}
	for _, e := range catalog.ValidateEntry(r) {
		t.Errorf("refused: %v", e)
	}
	n := r.Normalized()
	if c := n.Classification; c.CategoryCode != "01" || c.SubcategoryCode != "001" {
		t.Errorf("class codes %q, %q; want 01, 001", c.CategoryCode, c.SubcategoryCode)
	}
	if got := strings.Join(n.RelatedCodes, " "); got != "101001/000002 101001/000003 101001/000004" {
		t.Errorf("related codes %q", got)
	}
}
