package api_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCatalogDecodeErrorField: a value of the wrong type in a catalog
// entry is named by its JSON path, with the item's index, where field and
// detail named the Go struct entryCreate embeds (entryPut.security_level)
// and left the index out (items.length for the second item's length).
func TestCatalogDecodeErrorField(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin, op := f.session(t, "mz.admin"), f.session(t, "nh.op")
		entry := publishedEntry(t, f, admin, op)
		for _, c := range []struct {
			method, path, body, field, detail string
		}{
			{"POST", "/api/v1/catalog/entries", strings.Replace(marriageEntry, `"security_level":3`, `"security_level":"3"`, 1),
				"security_level", "字段 security_level 的类型应为整数，实为字符串"},
			{"POST", "/api/v1/catalog/entries", strings.Replace(marriageEntry, `"length":50`, `"length":"50"`, 1),
				"items[1].length", "字段 items[1].length 的类型应为整数，实为字符串"},
			{"PUT", entry, strings.Replace(marriageEntry, `"length":50`, `"length":"50"`, 1),
				"items[1].length", "字段 items[1].length 的类型应为整数，实为字符串"},
			{"PUT", entry, strings.Replace(marriageEntry, `"type":"D"`, `"type":4`, 1),
				"items[2].type", "字段 items[2].type 的类型应为字符串，实为数字"},
		} {
			r := f.do(t, c.method, c.path, "", c.body, admin...)
			if r.status != 400 || r.body["code"] != "invalid_type" || r.body["field"] != c.field || r.body["detail"] != c.detail {
				t.Errorf("%s %s: got %d %v, want 400 invalid_type field %s: %s", c.method, c.path, r.status, r.body, c.field, c.detail)
			}
		}
	})
}
