package web_test

import (
	"html"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// FuzzPublicCatalogQuery sends arbitrary query strings to the public
// catalog page, which anyone may open: the console's reading of them
// (parseCatalogQuery, the facet and filter links) and the search they ask
// for, on a SQLite database seeded once per fuzzing process. Whatever the
// query, the answer is no 5xx, and a refusal says why in Chinese: the
// error page's message (its .error-message), or a refused filter's on the
// page itself (#filter-error); the navigation around them is Chinese on
// every page.
func FuzzPublicCatalogQuery(f *testing.F) {
	for _, q := range []string{
		"q=外国企业常驻代表机构登记", "q=我的社保&sort=updated", "share_type=conditional&update_frequency=daily&open_attribute=open",
		"department_id=2&security_level=3&view=mine", "domain=11&share_method=verify&cursor=abc", "q=%ff", "department_id=-1",
		"security_level=9", "sort=name&cursor=", "q=" + strings.Repeat("户籍", 60),
	} {
		f.Add(q)
	}
	fx := newFixture(f, sqldbtest.SQLite(f))
	f.Fuzz(func(t *testing.T, query string) {
		if _, err := url.ParseRequestURI("/public/catalog?" + query); err != nil || strings.ContainsAny(query, "# ") {
			return // not a query string a browser can send
		}
		if _, err := url.ParseQuery(query); err != nil {
			return // a semicolon or a malformed escape, refused before the console reads it (auth's invalid_query; server TestSemicolonQueryAnswers, TestMalformedEscapeAnswers)
		}
		w := httptest.NewRecorder()
		fx.h.ServeHTTP(w, httptest.NewRequest("GET", "/public/catalog?"+query, nil))
		if w.Code >= 500 || w.Code >= 400 && !strings.ContainsFunc(refusalMessage(w.Body.String()), func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			t.Fatalf("GET /public/catalog?%s: %d %.300s", query, w.Code, w.Body.String())
		}
	})
}

var errorMessage = regexp.MustCompile(`<p class="error-message">([^<]*)</p>|<p class="alert" role="alert" id="filter-error">([^<]*)</p>`)

// refusalMessage is the message of the error page in page, or of its
// refused filter, empty if page has neither.
func refusalMessage(page string) string {
	m := errorMessage.FindStringSubmatch(page)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1] + m[2])
}
