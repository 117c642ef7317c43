package auth

import (
	"net/http"
	"strings"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/plainpage"
)

// crossSite reports whether the browser says another site made r
// (Sec-Fetch-Site cross-site, or same-site: another host of the same
// registrable domain, as trusted as any other site). A request without
// the header (curl, an old browser) or one typed or bookmarked ("none")
// is the caller's own.
func crossSite(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "cross-site", "same-site":
		return true
	}
	return false
}

// markCrossSite marks p, authenticated by r's session cookie, as acting
// at another site's bidding when r is cross-site: every audit row naming
// it is refused (audit.CrossSite), and with it any read that would write
// one — a link on another site, followed by a logged-in clerk, would
// otherwise read a subject's data in the clerk's name under the purpose
// the link chose. A console page so refused is answered by a page that
// offers the same address from the console's own (crossSiteWriter);
// under /api/ the handler's 403 cross_site_read stands. It returns the
// writer to answer r with.
func markCrossSite(w http.ResponseWriter, r *http.Request, p *Principal) http.ResponseWriter {
	if !crossSite(r) {
		return w
	}
	p.Actor.CrossSite = &audit.CrossSite{}
	if strings.HasPrefix(r.URL.Path, "/api/") || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
		return w
	}
	return &crossSiteWriter{ResponseWriter: w, mark: p.Actor.CrossSite, target: r.URL.RequestURI(), head: r.Method == http.MethodHead}
}

// crossSiteWriter answers a console page whose audit row was refused for
// its cross-site request with a page of its own (plainpage: 请确认后继续,
// a link to the same address) in place of the console's error page,
// which the handler writes after the refusal (every audited read records
// its row before it shows anything).
type crossSiteWriter struct {
	http.ResponseWriter
	mark            *audit.CrossSite
	target          string
	head            bool
	wrote, replaced bool
}

func (cw *crossSiteWriter) WriteHeader(status int) {
	switch {
	case cw.replaced:
		return
	case cw.wrote || !cw.mark.Refused():
		cw.wrote = true
		cw.ResponseWriter.WriteHeader(status)
		return
	}
	cw.wrote, cw.replaced = true, true
	h := cw.Header()
	for _, k := range []string{"Content-Length", "Content-Encoding", "ETag", "Last-Modified"} {
		h.Del(k)
	}
	// The page offers the address as a link of the console's own: followed,
	// it is a same-origin request, read and audited as the clerk's. A link
	// from an OA system works after one click; a forged one needs the
	// clerk to confirm the read it asks for.
	target := cw.target
	if !strings.HasPrefix(target, "/") || strings.HasPrefix(target, "//") {
		target = "/" // never a link to another host
	}
	plainpage.Write(cw.ResponseWriter, plainpage.Page{Title: "请确认后继续",
		Text:   []string{"您从其他网站打开了需要记录查询用途的页面，请确认后继续。该页面的查询会以您的名义、按链接中的查询用途记入审计日志；如非本人有意打开，请勿继续。"},
		Links:  []plainpage.Link{{Href: target, Text: "继续打开：" + target}, {Href: "/", Text: "返回首页"}},
		Status: http.StatusForbidden, Code: audit.CrossSiteCode}, cw.head)
}

func (cw *crossSiteWriter) Write(b []byte) (int, error) {
	if !cw.wrote {
		cw.WriteHeader(http.StatusOK)
	}
	if cw.replaced {
		return len(b), nil
	}
	return cw.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (cw *crossSiteWriter) Unwrap() http.ResponseWriter { return cw.ResponseWriter }
