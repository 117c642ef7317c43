package web_test

import (
	"net/url"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRetireRequestsFiltered: the 待审核 view lists the retirement
// requests under the list's filters (and counts them so in its tab), where
// a domain or other facet filter still showed every request; and with
// requests listed and no revision waiting, the list below says so, where
// it read 没有待审核的数据资源 under the requests' table.
func TestRetireRequestsFiltered(t *testing.T) {
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
		row := `id="retire-request-` + strconv.FormatInt(id, 10) + `"`
		r := op.get("/catalog?view=submitted")
		wantBody(t, "queue", r, row, `待审核 <span class="badge">1</span>`, "只有上方的注销申请待审核", "待审核的编制和修订 共 0 个")
		wantNoBody(t, "queue", r, "没有待审核的数据资源")
		r = op.get("/catalog?view=submitted&domain=04")
		wantNoBody(t, "another domain", r, `id="retire-requests"`, row, `<span class="badge">`)
		r = op.get("/catalog?view=submitted&domain=18&q=暂住")
		wantBody(t, "its domain and name", r, row, "按上方的关键词（名称或资源代码）和筛选条件列出")
		wantNoBody(t, "another name", op.get("/catalog?view=submitted&q=营业执照"), row)
		// The live search swaps the requests' table with the results.
		r = op.get("/catalog?view=submitted&q=营业执照", "HX-Request", "true")
		wantBody(t, "live search", r, `<div id="retire-requests-box" hx-swap-oob="innerHTML">`)
		wantNoBody(t, "live search", r, row)
		wantBody(t, "live search of its name", op.get("/catalog?view=submitted&q=暂住", "HX-Request", "true"), row)
	})
}
