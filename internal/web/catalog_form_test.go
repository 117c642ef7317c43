package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCatalogFormMessages checks that the compile form words the catalog's
// validation errors for its users: by the labels they see, 不能为空 for an
// empty required field, never the API's codes.
func TestCatalogFormMessages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		tok := c.login("police.admin")

		r := c.post("/catalog/new", url.Values{"csrf_token": {tok}})
		wantStatus(t, "empty form", r, http.StatusUnprocessableEntity)
		wantBody(t, "empty form", r, "数据资源名称不能为空", "资源分类（类）不能为空", "“项”代码不能为空", "“目”代码不能为空",
			"信息资源格式不能为空", "主体类型不能为空", "共享类型不能为空", "开放属性不能为空", "更新周期不能为空",
			"安全级别不能为空", "网络环境不能为空", "所属领域不能为空")
		msgs := formMessages(r.Body)
		for _, code := range []string{"person", "legal_entity", "none", "01至22", "99"} {
			if strings.Contains(msgs, code) {
				t.Errorf("empty form: the messages cite %q:\n%s", code, msgs)
			}
		}

		// Values the form does not offer, from an outdated or altered page.
		bad := entryForm(tok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes")
		bad.Set("domain", "77")
		bad.Set("subject_kind", "robot")
		bad["share_methods"] = []string{"query", "fax"}
		bad.Set("security_level", "高")
		r = c.post("/catalog/new", bad)
		wantStatus(t, "invalid choices", r, http.StatusUnprocessableEntity)
		wantBody(t, "invalid choices", r, "所属领域不在可选范围内，请从列表中选择", "主体类型不在可选范围内",
			"共享方式不在可选范围内", "有 4 处需要修改")
		if msgs := formMessages(r.Body); strings.Contains(msgs, "query") || strings.Contains(msgs, "person") {
			t.Errorf("invalid choices: the messages cite the API's codes:\n%s", msgs)
		}
		if n := countEntries(t, db); n != 0 {
			t.Fatalf("entries after invalid forms: %d, want 0", n)
		}
	})
}

var formMessageRE = regexp.MustCompile(`<li>(?:<a href="[^"]*">)?([^<]*)<|class="field-error"[^>]*>([^<]*)<`)

// formMessages returns the error messages of a form page, one a line.
func formMessages(body string) string {
	var b strings.Builder
	for _, m := range formMessageRE.FindAllStringSubmatch(body, -1) {
		b.WriteString(m[1] + m[2] + "\n")
	}
	return b.String()
}

// TestCatalogFormPadsCodes checks that the form reads a 项代码 of one digit
// and a 目代码 of one or two as the workbook import does: 1 is 01 and 001.
func TestCatalogFormPadsCodes(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		tok := c.login("police.admin")
		form := entryForm(tok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes")
		form.Set("category_code", " 1")
		form.Set("subcategory_code", "1")
		path := createEntry(t, c, form)
		wantBody(t, "entry", c.get(path), "101001/")
	})
}
