package auth

import (
	"net/http"
	"strings"

	"github.com/hutong-gov/hutong/internal/errs"
)

// checkSemicolons refuses a request whose raw query holds a semicolon
// (400 invalid_query). Go's URL.Query drops every pair holding one, so
// that ?q=户籍;人口 would be read as no query at all — the whole catalog
// listed, a filter or a sort silently ignored — where some servers and
// proxies split pairs at it. An encoded one (%3B) is a value's character
// and is taken. Every request passes here, the API's and the console's,
// before anything reads its query.
func checkSemicolons(r *http.Request) error {
	if !strings.Contains(r.URL.RawQuery, ";") {
		return nil
	}
	return errs.E(errs.Invalid, "invalid_query", "查询参数不能含分号，请使用 & 分隔或对分号编码为 %3B")
}
