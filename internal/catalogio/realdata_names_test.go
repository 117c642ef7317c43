package catalogio_test

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/catalogio/catalogiotest"
)

// TestRealCatalogNames: the naming rules of catalog.ValidateEntry (a Han
// character, at least two characters, not only generic words such as 数据、
// 信息、资源、表) refuse none of the 844 names of the real catalog, short ones
// such as 旅行社 and 健康档案 included.
func TestRealCatalogNames(t *testing.T) {
	rows, err := csv.NewReader(bytes.NewReader(catalogiotest.ReadRealCatalog(t))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 845 {
		t.Fatalf("got %d rows, want a header and 844 entries", len(rows))
	}
	for _, row := range rows[1:] {
		r := resources()[0]
		r.Name = row[0]
		for _, e := range catalog.ValidateEntry(r) {
			if e.Field == "name" {
				t.Errorf("name %q refused: %s (%s)", row[0], e.Code, e.Message)
			}
		}
	}
}
