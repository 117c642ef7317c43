package catalog_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
)

// TestDiffItemOrder: items that keep their names but change places are a
// change, items_order (信息项顺序), with the names in each version's order;
// items added or removed without moving the others are not. Reordered items
// used to be no change: an import kept the old order and reported the entry
// unchanged.
func TestDiffItemOrder(t *testing.T) {
	a := household()
	b := household()
	b.Items[0], b.Items[1] = b.Items[1], b.Items[0]
	c := catalog.Diff(a, b)
	if c.Empty() || len(c.Fields) != 1 || len(c.Items) != 0 {
		t.Fatalf("reordered items: %+v, want one field change", c)
	}
	f := c.Fields[0]
	var old, new []string
	if err := json.Unmarshal(f.Old, &old); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(f.New, &new); err != nil {
		t.Fatal(err)
	}
	if f.Field != "items_order" || f.Label != "信息项顺序" ||
		!slices.Equal(old, []string{"公民身份号码", "姓名", "出生日期", "户籍地址"}) ||
		!slices.Equal(new, []string{"姓名", "公民身份号码", "出生日期", "户籍地址"}) {
		t.Errorf("reordered items: %s %s %v → %v", f.Field, f.Label, old, new)
	}

	added := household()
	added.Items = slices.Insert(added.Items, 1, catalog.Item{Name: "曾用名", Type: "C", Length: 50})
	added.Items = slices.Delete(added.Items, 3, 4) // 出生日期
	c = catalog.Diff(a, added)
	if len(c.Fields) != 0 || len(c.Items) != 2 {
		t.Errorf("an item added, another removed, the rest in order: %+v, want two item changes only", c)
	}
	if c := catalog.Diff(a, household()); !c.Empty() {
		t.Errorf("same items: %+v, want no change", c)
	}
}
