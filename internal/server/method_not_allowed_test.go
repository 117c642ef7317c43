package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestMethodNotAllowed: a path the server routes outside the console
// (/healthz, /metrics) answers another method 405 with Allow, as the
// console's pages and the API do, not the console's 404; a path no one
// routes stays 404. On both engines.
func TestMethodNotAllowed(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ts := newServer(t, db)
		for _, c := range []struct {
			method, path string
			status       int
			allow, body  string
		}{
			{"POST", "/healthz", http.StatusMethodNotAllowed, "GET, HEAD", "不支持的请求方法"},
			{"DELETE", "/metrics", http.StatusMethodNotAllowed, "GET, HEAD", "不支持的请求方法"},
			{"DELETE", "/api/v1/departments", http.StatusMethodNotAllowed, "GET, HEAD, POST", "method_not_allowed"},
			{"POST", "/no/such/page", http.StatusNotFound, "", "页面不存在"},
		} {
			resp, body := fetch(t, http.DefaultClient, c.method, ts.URL+c.path, "")
			if resp.StatusCode != c.status || resp.Header.Get("Allow") != c.allow || !strings.Contains(string(body), c.body) {
				t.Errorf("%s %s: %d, Allow %q, want %d, Allow %q, with %q:\n%s",
					c.method, c.path, resp.StatusCode, resp.Header.Get("Allow"), c.status, c.allow, c.body, body)
			}
		}
	})
}
