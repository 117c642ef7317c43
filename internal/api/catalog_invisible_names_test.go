package api_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCatalogEntryInvisibleNames: POST /api/v1/catalog/entries of an
// entry whose name or an item's name holds a zero-width space or a BOM is
// 400 invalid_characters on that field with a Chinese message, and an
// abstract of a zero-width space alone is 400 abstract_required; the
// entry without them is then created. Before, each was 201.
func TestCatalogEntryInvisibleNames(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin := f.session(t, "mz.admin")
		for _, c := range []struct{ old, new, field, code string }{
			{`"name":"婚姻登记信息"`, `"name":"婚姻\u200b登记信息"`, "name", "invalid_characters"},
			{`"name":"婚姻登记信息"`, `"name":"\ufeff婚姻登记信息"`, "name", "invalid_characters"},
			{`"name":"男方姓名"`, `"name":"男方姓名\ufeff"`, "items[1].name", "invalid_characters"},
			{`"abstract":"结婚登记、离婚登记及补领婚姻登记证信息"`, `"abstract":"\u200b"`, "abstract", "abstract_required"},
		} {
			body := strings.Replace(marriageEntry, c.old, c.new, 1)
			r := f.do(t, "POST", "/api/v1/catalog/entries", "", body, admin...)
			if r.status != 400 || r.body["code"] != c.code || r.body["field"] != c.field || !hasHan(textOf(r.body["detail"])) {
				t.Errorf("%s: %d %v, want 400 %s on %s", c.new, r.status, r.body, c.code, c.field)
			}
		}
		if r := f.do(t, "POST", "/api/v1/catalog/entries", "", marriageEntry, admin...); r.status != 201 {
			t.Errorf("the entry as it is: %d %v, want 201", r.status, r.body)
		}
	})
}
