package api_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCatalogSearchDomainLabel: GET /api/v1/catalog/entries answers an
// entry of domain 其他 naming its domain (低空经济) with domain_label
// 其他（低空经济）, asking Search for it (catalog.Query.DomainLabels), and
// /api/v1/public/catalog its domain so too. On both engines.
func TestCatalogSearchDomainLabel(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		r := personResource("低空飞行器登记信息", "02", "民政", "001", "登记", catalog.DomainOther, "daily", "公民身份号码*:C18;姓名:C50")
		r.DomainOther = "低空经济"
		publishEntry(t, db, f.otherID, f.deptID, r, t0)
		const want = "其他（低空经济）"
		for _, c := range []struct{ path, key, field string }{
			{"/api/v1/catalog/entries", f.readKey, "domain_label"},
			{"/api/v1/public/catalog", "", "domain"},
		} {
			resp := f.do(t, "GET", c.path, c.key, "")
			items, _ := resp.body["items"].([]any)
			if resp.status != 200 || len(items) != 1 {
				t.Fatalf("%s: %d %v", c.path, resp.status, resp.body)
			}
			if got := items[0].(map[string]any)[c.field]; got != want {
				t.Errorf("%s: %s %v, want %s", c.path, c.field, got, want)
			}
		}
	})
}
