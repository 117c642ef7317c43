package server_test

import (
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/server"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestPlainPages: the pages answered without the console, to a cross-site
// request and while the server starts, are HTML, uncached, allowed nothing
// but their inline style and not sniffed; the start-up's says when to
// retry. The cross-site refusal looks like the console's error page (its
// inline style, allowed by its hash), where it was unstyled.
func TestPlainPages(t *testing.T) {
	ts := newServer(t, sqldbtest.SQLite(t))
	req, err := http.NewRequest("POST", ts.URL+"/login", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	style := regexp.MustCompile(`<style>([^<]+)</style>`).FindSubmatch(body)
	if style == nil || !strings.Contains(string(body), "<main>\n<h1>请求被拒绝</h1>") {
		t.Fatalf("cross-site page: no style or card:\n%s", body)
	}
	sum := sha256.Sum256(style[1])
	csp := "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; frame-ancestors 'none'"
	rec := httptest.NewRecorder()
	server.Starting(server.Migrating).ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	for _, c := range []struct {
		name   string
		status int
		want   int
		h      http.Header
	}{
		{"cross-site", resp.StatusCode, http.StatusForbidden, resp.Header},
		{"starting", rec.Code, http.StatusServiceUnavailable, rec.Header()},
	} {
		if c.status != c.want {
			t.Errorf("%s page: status %d, want %d", c.name, c.status, c.want)
		}
		for k, v := range map[string]string{"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store",
			"Content-Security-Policy": csp, "X-Content-Type-Options": "nosniff"} {
			if got := c.h.Get(k); got != v {
				t.Errorf("%s page: %s %q, want %q", c.name, k, got, v)
			}
		}
	}
	if rec.Header().Get("Retry-After") != "5" {
		t.Errorf("starting page: Retry-After %q, want 5", rec.Header().Get("Retry-After"))
	}
}
