package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

var publicHrefRE = regexp.MustCompile(`href="(/public/catalog[^"#]*)"`)

// TestPublicCatalogParams: a query parameter the public catalog does not
// take (foo, a tracking tag, the security level it hides, the console's
// view) is refused 400 unknown_parameter on the page itself, in plain
// Chinese naming it and the conditions the catalog can be searched by,
// with no hits, and the search form leaves it out, where the catalog was
// shown unfiltered as if filtered (security_level=4, view=drafts). Every
// link of the catalog still answers 200. On both engines.
func TestPublicCatalogParams(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		person := catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}
		company := catalog.Item{Name: "统一社会信用代码", Type: "C", Length: 18, IdentifiesSubject: true}
		publishKind(t, f, "公安分局", "居住登记信息", catalog.Person, person)
		publishKind(t, f, "市场监管局", "企业登记信息", catalog.LegalEntity, company)
		anon := f.client(t)

		for _, b := range []struct{ query, param string }{
			{"foo=1", "foo"},
			{"utm_source=wechat&q=" + url.QueryEscape("登记"), "utm_source"},
			{"security_level=4", "security_level"},
			{"view=drafts&domain=18", "view"},
		} {
			r := anon.get("/public/catalog?" + b.query)
			what := "public catalog ?" + b.query
			wantStatus(t, what, r, http.StatusBadRequest)
			wantBody(t, what, r, `id="filter-error"`, "本目录不能按网址中的“"+b.param+"”查询",
				"关键词（q）", "主体类型（subject_kind）", "翻页（cursor）", `action="/public/catalog"`)
			wantNoBody(t, what, r, "居住登记信息", "企业登记信息", `name="`+b.param+`"`, "security_level、", "（security_level）")
		}
		r := anon.get("/public/catalog?view=drafts&domain=18")
		wantBody(t, "view=drafts&domain=18", r, `name="domain" value="18"`)

		for _, query := range []string{"", "subject_kind=person", "q=" + url.QueryEscape("登记") + "&sort=name&domain=18"} {
			r := anon.get("/public/catalog?" + query)
			wantStatus(t, "public catalog ?"+query, r, http.StatusOK)
			wantNoBody(t, "public catalog ?"+query, r, `id="filter-error"`)
		}

		// Every link of the catalog, and of the pages it leads to, answers.
		seen := map[string]bool{}
		todo := []string{"/public/catalog", "/public/catalog?subject_kind=legal_entity&q=" + url.QueryEscape("登记")}
		for len(todo) > 0 && len(seen) < 200 {
			u := todo[0]
			todo = todo[1:]
			if seen[u] {
				continue
			}
			seen[u] = true
			r := anon.get(u)
			wantStatus(t, "GET "+u, r, http.StatusOK)
			for _, m := range publicHrefRE.FindAllStringSubmatch(r.Body, -1) {
				if l := strings.ReplaceAll(m[1], "&amp;", "&"); !seen[l] {
					todo = append(todo, l)
				}
			}
		}
		if len(seen) < 10 {
			t.Errorf("followed %d links, want at least 10: %v", len(seen), seen)
		}
	})
}
