package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

var publicHrefRE = regexp.MustCompile(`href="(/public/catalog[^"#]*)"`)

// TestPublicCatalogParams: a query parameter the public catalog does not
// take (foo, the tags a messenger adds to a shared link, the security
// level it hides, the console's view) is ignored with a notice in plain
// Chinese naming it and the conditions the catalog can be searched by,
// and the list is the one of the parameters it takes; its links and the
// search form leave the ignored one out. Before, such a parameter was
// ignored without a word, the catalog shown unfiltered as if filtered
// (security_level=4, view=drafts). Every link of the catalog answers 200.
// On both engines.
func TestPublicCatalogParams(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		person := catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}
		company := catalog.Item{Name: "统一社会信用代码", Type: "C", Length: 18, IdentifiesSubject: true}
		publishKind(t, f, "公安分局", "居住登记信息", catalog.Person, person)
		publishKind(t, f, "市场监管局", "企业登记信息", catalog.LegalEntity, company)
		anon := f.client(t)

		for _, b := range []struct {
			query, notice string
			shown, hidden []string
		}{
			{"foo=1", "网址中的“foo”不是本目录的查询条件，已忽略", []string{"居住登记信息", "企业登记信息"}, nil},
			{"from=singlemessage&isappinstalled=0&subject_kind=person", "网址中的“from”、“isappinstalled”不是本目录的查询条件，已忽略",
				[]string{"居住登记信息"}, []string{"企业登记信息"}},
			{"security_level=4", "网址中的“security_level”不是本目录的查询条件", []string{"居住登记信息", "企业登记信息"}, nil},
			{"view=drafts&subject_kind=legal_entity", "网址中的“view”不是本目录的查询条件", []string{"企业登记信息"}, []string{"居住登记信息"}},
		} {
			r := anon.get("/public/catalog?" + b.query)
			what := "public catalog ?" + b.query
			wantStatus(t, what, r, http.StatusOK)
			wantBody(t, what, r, append([]string{`id="param-notice"`, b.notice, "下面的结果未按其筛选",
				"关键词（q）", "主体类型（subject_kind）", "翻页（cursor）", `action="/public/catalog"`}, b.shown...)...)
			wantNoBody(t, what, r, append([]string{`id="filter-error"`, `name="foo"`, `name="from"`, `name="view"`,
				`name="security_level"`, "security_level=", "view=drafts", "（security_level）"}, b.hidden...)...)
		}
		r := anon.get("/public/catalog?view=drafts&domain=18")
		wantBody(t, "view=drafts&domain=18", r, `name="domain" value="18"`)
		r = anon.get("/public/catalog?domain=999&foo=1")
		wantStatus(t, "domain=999&foo=1", r, http.StatusBadRequest)
		wantBody(t, "domain=999&foo=1", r, `id="filter-error"`, `id="param-notice"`, "网址中的“foo”不是本目录的查询条件")

		for _, query := range []string{"", "subject_kind=person", "q=" + url.QueryEscape("登记") + "&sort=name&domain=18"} {
			r := anon.get("/public/catalog?" + query)
			wantStatus(t, "public catalog ?"+query, r, http.StatusOK)
			wantNoBody(t, "public catalog ?"+query, r, `id="filter-error"`, `id="param-notice"`)
		}

		// Every link of the catalog, and of the pages it leads to, answers.
		seen := crawl(t, anon, publicHrefRE, 200, []string{"/public/catalog",
			"/public/catalog?subject_kind=legal_entity&q=" + url.QueryEscape("登记")}, nil, nil)
		if len(seen) < 10 {
			t.Errorf("followed %d links, want at least 10: %v", len(seen), seen)
		}
	})
}
