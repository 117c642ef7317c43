package plainpage_test

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/plainpage"
)

// TestWrite: a plain page escapes what it is given, allows its own inline
// style by its hash and nothing else, and writes no body to a HEAD
// request.
func TestWrite(t *testing.T) {
	p := plainpage.Page{Title: "<b>标题</b>", Text: []string{`"><script>x()</script>`}, Status: http.StatusForbidden,
		Code: "some_code", Links: []plainpage.Link{{Href: `/a?b=1&c="2"`, Text: "继续"}}, Refresh: 5}
	rec := httptest.NewRecorder()
	plainpage.Write(rec, p, false)
	body := rec.Body.String()
	if rec.Code != http.StatusForbidden {
		t.Errorf("status %d, want 403", rec.Code)
	}
	for _, bad := range []string{"<script>", "<b>", `c="2"`} {
		if strings.Contains(body, bad) {
			t.Errorf("page holds %q unescaped:\n%s", bad, body)
		}
	}
	for _, want := range []string{"<title>&lt;b&gt;标题&lt;/b&gt; - 互通</title>", `href="/a?b=1&amp;c=&#34;2&#34;"`, "错误代码 some_code",
		"状态码 403", `<meta http-equiv="refresh" content="5">`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q:\n%s", want, body)
		}
	}
	style := regexp.MustCompile(`<style>([^<]+)</style>`).FindStringSubmatch(body)
	if style == nil {
		t.Fatalf("no style:\n%s", body)
	}
	sum := sha256.Sum256([]byte(style[1]))
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "style-src 'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'") ||
		!strings.HasPrefix(csp, "default-src 'none'") {
		t.Errorf("CSP %q does not allow the page's style alone", csp)
	}
	head := httptest.NewRecorder()
	plainpage.Write(head, p, true)
	if head.Body.Len() != 0 || head.Code != http.StatusForbidden || head.Header().Get("Content-Type") != "text/html; charset=utf-8" {
		t.Errorf("HEAD: %d %q %q, want 403, headers, no body", head.Code, head.Header().Get("Content-Type"), head.Body.String())
	}
}
