package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestMethodNotAllowed: a console path that exists for other methods
// answers a method it does not take 405, its Allow header listing the
// methods it takes (HEAD with GET), on the console's error page in
// Chinese; with a session, before the CSRF check of an unsafe method
// (nothing runs). A path that exists for no method stays 404, without
// Allow. On both engines.
func TestMethodNotAllowed(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		anon := f.client(t)
		op := f.client(t)
		op.login("operator")
		for _, c := range []struct {
			who          *client
			method, path string
			allow        string
		}{
			{op, "GET", "/catalog/1/submit", "POST"},
			{op, "DELETE", "/login", "GET, HEAD, POST"},
			{op, "PUT", "/catalog/1", "GET, HEAD"},
			{anon, "DELETE", "/login", "GET, HEAD, POST"},
			{anon, "GET", "/logout", "POST"},
			{anon, "PUT", "/public/catalog", "GET, HEAD"},
		} {
			what := c.method + " " + c.path
			r := c.who.method(c.method, c.path)
			wantStatus(t, what, r, http.StatusMethodNotAllowed)
			if got := r.Header.Get("Allow"); got != c.allow {
				t.Errorf("%s: Allow %q, want %q", what, got, c.allow)
			}
			if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("%s: Content-Type %q, want the console's page", what, ct)
			}
			wantBody(t, what, r, "不支持的请求方法", "method_not_allowed", c.path)
			wantNoBody(t, what, r, "页面不存在")
		}
		for _, c := range []struct {
			who          *client
			method, path string
		}{
			{op, "GET", "/no/such/page"},
			{anon, "GET", "/no/such/page"},
			{anon, "DELETE", "/no/such/page"},
			{anon, "POST", "/catalog/1/nothing"},
		} {
			what := c.method + " " + c.path
			r := c.who.method(c.method, c.path)
			wantStatus(t, what, r, http.StatusNotFound)
			wantBody(t, what, r, "页面不存在")
			if got := r.Header.Get("Allow"); got != "" {
				t.Errorf("%s: Allow %q on a path that does not exist", what, got)
			}
		}
	})
}

// method sends a request of method to path, with no body.
func (c *client) method(method, path string) response {
	c.t.Helper()
	req, err := http.NewRequest(method, c.f.srv.URL+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.do(req)
}
