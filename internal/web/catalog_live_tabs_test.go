package web_test

import (
	"net/url"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCatalogLiveSearchTabs: the live search (htmx fragment) swaps the
// tabs with the results, out of band: their links carry the new text and
// the 待审核 badge counts under it. Before, the fragment left the tabs as
// the page loaded them, with the old q and the old counts.
func TestCatalogLiveSearchTabs(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		id := publish(t, f, "公安分局", "暂住人口登记信息", "01", "002",
			catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, catalog.Item{Name: "姓名", Type: "C", Length: 50})
		path := "/catalog/" + strconv.FormatInt(id, 10)
		police, op := f.client(t), f.client(t)
		ptok := police.login("police.admin")
		op.login("operator")
		postOK(t, police, path+"/retire", url.Values{"csrf_token": {ptok}, "reason": {"并入居住登记信息"}, "confirm": {"yes"}},
			path+"?msg=retire_requested")
		tabs := `<nav class="tabs" id="catalog-tabs" aria-label="目录状态" hx-swap-oob="true">`
		r := op.get("/catalog?q=暂住", "HX-Request", "true")
		wantBody(t, "live search of its name", r, tabs, `待审核 <span class="badge">1</span>`,
			`href="/catalog?q=%E6%9A%82%E4%BD%8F&amp;view=submitted"`)
		r = op.get("/catalog?q=营业执照", "HX-Request", "true")
		wantBody(t, "live search of another name", r, tabs, `href="/catalog?q=%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7&amp;view=submitted"`)
		wantNoBody(t, "live search of another name", r, `待审核 <span class="badge">`)
	})
}
