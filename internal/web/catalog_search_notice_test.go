package web_test

import (
	"net/url"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCatalogSearchNotices: a widened search (catalog.Page.Widened) says
// on the console's /catalog and the public catalog that its results are
// partial matches, where they were listed as if they matched; the public
// catalog's empty result suggests a shorter text, as the console's does,
// where it said only 没有符合条件的数据资源; and a text naming a department
// (公安) that finds nothing points to that department's filter.
func TestCatalogSearchNotices(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		id := catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}
		publish(t, f, "公安分局", "户籍人口基本信息", "01", "001", id)
		op := f.loggedIn(t, "operator")
		anon := f.client(t)
		const widened = "未找到与“户口本”完全匹配的数据资源，以下为部分匹配的结果"
		for name, c := range map[string]*client{"/catalog": op, "/public/catalog": anon} {
			r := c.get(name + "?q=" + url.QueryEscape("户口本"))
			wantBody(t, name+" 户口本", r, "户籍人口基本信息", `id="widened-notice"`, widened)
			r = c.get(name + "?q=" + url.QueryEscape("户籍"))
			wantBody(t, name+" 户籍", r, "户籍人口基本信息")
			wantNoBody(t, name+" 户籍", r, `id="widened-notice"`)
			r = c.get(name + "?q=" + url.QueryEscape("护照"))
			wantBody(t, name+" 护照", r, "没有符合条件的数据资源", "可尝试更短的关键词")
			wantNoBody(t, name+" 护照", r, `id="department-hints"`)
			r = c.get(name + "?q=" + url.QueryEscape("公安"))
			wantBody(t, name+" 公安", r, `id="department-hints"`, "佛山市公安局南海分局",
				`href="`+name+`?department_id=`+strconv.FormatInt(f.depts["公安分局"].ID, 10)+`"`)
		}
	})
}
