package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCatalogDiffItemOrder: a revision that only puts the items in another
// order shows the order of each version with the item changes, not 两个版本
// 完全相同 or 信息项没有变化, as it did.
func TestCatalogDiffItemOrder(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		police, op := f.client(t), f.client(t)
		ptok, otok := police.login("police.admin"), op.login("operator")
		path := createEntry(t, police, entryForm(ptok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes", "姓名", "C", "50", "no",
			"户籍地址", "C", "200", "no"))
		postOK(t, police, path+"/submit", url.Values{"csrf_token": {ptok}}, path+"?msg=submitted")
		postOK(t, op, path+"/approve", url.Values{"csrf_token": {otok}}, path+"?msg=approved")
		postOK(t, police, path+"/edit", entryForm(ptok, "户籍人口基本信息", "姓名", "C", "50", "no", "公民身份号码", "C", "18", "yes",
			"户籍地址", "C", "200", "no"), path+"?view=working&msg=saved")
		r := police.get(path + "/versions/2/diff")
		wantStatus(t, "diff", r, http.StatusOK)
		wantBody(t, "diff", r, `<p id="item-order">信息项顺序：<span class="diff-old">公民身份号码、姓名、户籍地址</span> → `+
			`<span class="diff-new">姓名、公民身份号码、户籍地址</span></p>`, "元数据没有变化。")
		wantNoBody(t, "diff", r, `id="no-changes"`, "信息项没有变化。", `id="field-changes"`)
	})
}
