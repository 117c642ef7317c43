package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestConsoleWording: the reasons a reviewer's return and a retirement
// need are required on the page too; an empty tab says what it lists
// (已注销, 年度维护到期, 已办结), where it said 没有符合条件的数据资源 with
// nothing searched for, or 没有差异; the JSON Lines format is named so
// everywhere (导出 JSON Lines（.jsonl）, where one said JSON lines). Sizes
// are said in MB (TestSizeLimitsInMB).
func TestConsoleWording(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		police, op := f.client(t), f.client(t)
		ptok := police.login("police.admin")
		op.login("operator")

		path := createEntry(t, police, entryForm(ptok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes"))
		postOK(t, police, path+"/submit", url.Values{"csrf_token": {ptok}}, path+"?msg=submitted")
		r := op.get(path)
		wantStatus(t, "submitted entry", r, http.StatusOK)
		wantBody(t, "submitted entry", r, `<textarea id="reject-reason-input" name="reason" rows="2" maxlength="1000" required>`)
		published := "/catalog/" + strconv.FormatInt(publish(t, f, "公安分局", "暂住人口登记信息", "01", "002",
			catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}), 10)
		r = police.get(published)
		wantStatus(t, "published entry", r, http.StatusOK)
		wantBody(t, "published entry", r, `placeholder="注销原因" maxlength="1000" required value=""`)

		for _, c := range []struct{ page, want string }{
			{"/catalog?view=retired", "没有已注销的数据资源：数据资源注销后列在这里。"},
			{"/catalog?view=review_due", "没有年度维护到期的数据资源：已发布、上次审核已满一年的数据资源列在这里。"},
			{"/catalog?view=retired&q=" + url.QueryEscape("护照"), "没有符合条件的数据资源。可尝试更短的关键词"},
			{"/records/discrepancies?status=resolved&purpose=" + url.QueryEscape("核查多源差异"), "没有已办结的差异。"},
			{"/records/discrepancies?status=awaiting_correction&purpose=" + url.QueryEscape("核查多源差异"), "没有待更正的差异。"},
		} {
			r := op.get(c.page)
			wantStatus(t, c.page, r, http.StatusOK)
			wantBody(t, c.page, r, c.want)
		}
		wantNoBody(t, "/catalog?view=retired", op.get("/catalog?view=retired"), "没有符合条件的数据资源")

		r = op.get("/catalog")
		wantBody(t, "catalog", r, `>导出 JSON Lines（.jsonl）</a>`)
		wantNoBody(t, "catalog", r, "JSON lines")
		wantBody(t, "catalog import", op.get("/catalog/import"), "JSON Lines（.jsonl、.ndjson，本平台导出的格式）")
		r = police.get("/records/upload")
		wantNoBody(t, "records upload", r, "JSON lines")
	})
}
