package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestSemicolonQueryAnswers: a query holding a semicolon is refused with
// 400 invalid_query in the API's words (a problem document) and the
// console's (its error page), where GET /api/v1/catalog/entries?q=户籍;人口
// listed the whole catalog. On both engines.
func TestSemicolonQueryAnswers(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ts := newServer(t, db)
		_, key := seedConsole(t, db)
		c, _ := consoleLogin(t, ts.URL, "editor")
		for _, tc := range []struct {
			path, auth, ctype string
			client            *http.Client
		}{
			{"/api/v1/catalog/entries?q=户籍;人口", "Bearer " + key, "application/problem+json", http.DefaultClient},
			{"/api/v1/catalog/entries?sort=name;drop", "", "application/problem+json", http.DefaultClient},
			{"/catalog?q=户籍;人口", "", "text/html", c},
		} {
			resp, body := fetch(t, tc.client, "GET", ts.URL+tc.path, tc.auth)
			if resp.StatusCode != http.StatusBadRequest || !strings.HasPrefix(resp.Header.Get("Content-Type"), tc.ctype) ||
				!strings.Contains(string(body), "invalid_query") || !strings.Contains(string(body), "查询参数不能含分号") {
				t.Errorf("%s: %d %s %.300s, want 400 invalid_query as %s", tc.path, resp.StatusCode, resp.Header.Get("Content-Type"), body, tc.ctype)
			}
		}
	})
}

// TestMalformedEscapeAnswers: a query pair holding a malformed
// percent-escape is refused with 400 invalid_query naming it, in the API's
// words (a problem document) and the console's (its error page), where
// /catalog?department_id=N% listed the whole catalog (共 N 个) and the API
// its JSON alike. On both engines.
func TestMalformedEscapeAnswers(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ts := newServer(t, db)
		_, key := seedConsole(t, db)
		c, _ := consoleLogin(t, ts.URL, "editor")
		for _, tc := range []struct {
			path, auth, ctype, pair string
			client                  *http.Client
		}{
			{"/api/v1/catalog/entries?department_id=1%", "Bearer " + key, "application/problem+json", "department_id=1%", http.DefaultClient},
			{"/catalog?department_id=1%", "", "text/html", "department_id=1%", c},
			{"/catalog?q=%zz", "", "text/html", "q=%zz", c},
		} {
			resp, body := fetch(t, tc.client, "GET", ts.URL+tc.path, tc.auth)
			if resp.StatusCode != http.StatusBadRequest || !strings.HasPrefix(resp.Header.Get("Content-Type"), tc.ctype) ||
				!strings.Contains(string(body), "invalid_query") || !strings.Contains(string(body), tc.pair) {
				t.Errorf("%s: %d %s %.300s, want 400 invalid_query naming %s as %s", tc.path, resp.StatusCode, resp.Header.Get("Content-Type"), body, tc.pair, tc.ctype)
			}
		}
	})
}
