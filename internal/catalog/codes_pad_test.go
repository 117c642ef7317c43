package catalog_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestClassificationCodesPadded: a 项代码 or 目代码 of fewer ASCII digits is
// padded with zeros (1 → 01, 1 → 001) when an entry is stored, as the
// console's form and the workbook import pad them, so that the API agrees;
// full-width digits are narrowed first (１ → 01), as a resource code's are;
// a sign is no number to pad and stays invalid.
func TestClassificationCodesPadded(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		r := household()
		r.Classification.CategoryCode, r.Classification.SubcategoryCode = "1", " 1 "
		e := create(t, w, w.gaj, r)
		if c := e.Classification; c.CategoryCode != "01" || c.SubcategoryCode != "001" || e.Code != "101001/000001" {
			t.Errorf("stored %s %s as %s, want 01 001 as 101001/000001", c.CategoryCode, c.SubcategoryCode, e.Code)
		}
		r.Name, r.Classification.CategoryCode, r.Classification.SubcategoryCode = "户籍人口变动信息", "１", "００２"
		e = create(t, w, w.gaj, r)
		if c := e.Classification; c.CategoryCode != "01" || c.SubcategoryCode != "002" || e.Code != "101002/000001" {
			t.Errorf("stored %s %s as %s, want 01 002 as 101002/000001", c.CategoryCode, c.SubcategoryCode, e.Code)
		}
		for _, bad := range []struct{ category, subcategory, field string }{
			{"-1", "001", "classification.category_code"},
			{"01", "-1", "classification.subcategory_code"},
			{"+1", "001", "classification.category_code"},
		} {
			r := household()
			r.Classification.CategoryCode, r.Classification.SubcategoryCode = bad.category, bad.subcategory
			errs0 := catalog.ValidateEntry(r)
			if len(errs0) != 1 || errs0[0].Field != bad.field {
				t.Errorf("%q %q: errors %v, want one on %s", bad.category, bad.subcategory, errs0, bad.field)
			}
		}
	})
}
