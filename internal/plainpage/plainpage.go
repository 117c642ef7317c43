// Package plainpage writes the pages Hutong answers outside the console:
// refusals made before a request reaches it (a cross-origin form, a
// cross-site read) and the start-up's. They look like the console's error
// page (a card under a red-marked heading) without its style sheet, and
// are allowed nothing but their own inline style.
package plainpage

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html"
	"net/http"
	"strings"
)

// style is a plain page's look, the console's error page's.
const style = `body{margin:0;padding:4rem 1rem;background:#f3f5f8;color:#1f2933;font:15px/1.6 "PingFang SC","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC",system-ui,sans-serif}` +
	`main{max-width:40rem;margin:0 auto;background:#fff;border:1px solid #d9dee5;border-radius:4px;padding:1.2rem 1.4rem}` +
	`h1{font-size:1.45rem;font-weight:600;margin:0 0 .6em;border-left:4px solid #c0272d;padding-left:.6rem}` +
	`.muted{color:#5f6b7a}a{display:inline-block;padding:.4rem 1rem;border:1px solid #114a8b;border-radius:4px;color:#114a8b;text-decoration:none}`

// CSP allows a plain page nothing but its inline style, by its hash, and
// no frame to hold it.
var CSP = func() string {
	sum := sha256.Sum256([]byte(style))
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; frame-ancestors 'none'"
}()

// Page is a plain page: its title, its paragraphs (text, escaped when
// written), links (address → text) after them, and its status and stable
// error code, shown under the text.
type Page struct {
	Title   string
	Text    []string
	Links   []Link
	Status  int
	Code    string
	Refresh int // seconds after which the browser reloads the page; none when 0
}

// Link is a link of a plain page.
type Link struct{ Href, Text string }

// SetHeaders sets h for a plain page: HTML, uncached, allowed nothing but
// its style, not to be framed or sniffed.
func SetHeaders(h http.Header) {
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", CSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
}

// Write answers p: its headers, its status and, unless head (a HEAD
// request), the page.
func Write(w http.ResponseWriter, p Page, head bool) {
	SetHeaders(w.Header())
	w.WriteHeader(p.Status)
	if !head {
		fmt.Fprint(w, p.HTML())
	}
}

// HTML is the page.
func (p Page) HTML() string {
	var b strings.Builder
	b.WriteString("<!doctype html>\n<html lang=\"zh-CN\">\n<head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
	if p.Refresh > 0 {
		fmt.Fprintf(&b, "<meta http-equiv=\"refresh\" content=\"%d\">", p.Refresh)
	}
	fmt.Fprintf(&b, "<title>%s - 互通</title><style>%s</style></head>\n<body>\n<main>\n<h1>%s</h1>\n",
		html.EscapeString(p.Title), style, html.EscapeString(p.Title))
	for _, t := range p.Text {
		fmt.Fprintf(&b, "<p>%s</p>\n", html.EscapeString(t))
	}
	fmt.Fprintf(&b, "<p class=\"muted\">状态码 %d · 错误代码 %s</p>\n", p.Status, html.EscapeString(p.Code))
	for _, l := range p.Links {
		fmt.Fprintf(&b, "<p><a href=\"%s\">%s</a></p>\n", html.EscapeString(l.Href), html.EscapeString(l.Text))
	}
	b.WriteString("</main>\n</body>\n</html>\n")
	return b.String()
}
