package auth

import (
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/hutong-gov/hutong/internal/errs"
)

// maxNamedPair bounds, in bytes, the pair a refusal of a malformed escape
// quotes.
const maxNamedPair = 80

// checkQuery refuses a query Go's URL.Query would read in part (400
// invalid_query): it drops every pair it cannot decode, so that a filter,
// a sort or a time is silently ignored — ?q=户籍;人口 or
// ?department_id=4% read as no filter at all, the whole catalog listed;
// ?at=…% a record's current values served instead of the past ones; a
// misspelt or repeated parameter not refused. Refused are a semicolon,
// where some servers and proxies split pairs, and a percent-escape that
// is malformed (a % not followed by two hexadecimal digits), the first
// pair holding one named as sent. An encoded semicolon (%3B) and an
// encoded % (%25) are a value's characters and are taken. Every request
// passes here, the API's and the console's, before anything reads its
// query.
func checkQuery(r *http.Request) error {
	raw := r.URL.RawQuery
	if strings.Contains(raw, ";") {
		return errs.E(errs.Invalid, "invalid_query", "查询参数不能含分号，请使用 & 分隔或对分号编码为 %3B")
	}
	if _, err := url.ParseQuery(raw); err == nil {
		return nil
	}
	for pair := range strings.SplitSeq(raw, "&") {
		key, value, _ := strings.Cut(pair, "=")
		if _, err := url.QueryUnescape(key); err != nil {
			return malformedEscape(pair, err)
		}
		if _, err := url.QueryUnescape(value); err != nil {
			return malformedEscape(pair, err)
		}
	}
	return errs.E(errs.Invalid, "invalid_query", "查询参数无法解析，请检查其中的百分号编码：值中的 % 本身请编码为 %25")
}

// malformedEscape is the refusal of pair, whose escape err names is
// malformed: the pair as sent, cut to maxNamedPair bytes at a character's
// start, its bytes that are not UTF-8 shown as U+FFFD.
func malformedEscape(pair string, err error) error {
	if n := maxNamedPair; len(pair) > n {
		for n > 0 && !utf8.RuneStart(pair[n]) {
			n--
		}
		pair = pair[:n] + "…"
	}
	pair = strings.ToValidUTF8(pair, "\uFFFD")
	bad := ""
	if e, ok := err.(url.EscapeError); ok {
		bad = "中的 " + strings.ToValidUTF8(string(e), "\uFFFD") + " "
	}
	return errs.E(errs.Invalid, "invalid_query", "查询参数「"+pair+"」"+bad+"不是有效的百分号编码：% 后应为两位十六进制数字；"+
		"值中的 % 本身请编码为 %25")
}
