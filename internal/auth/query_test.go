package auth_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// codeServer serves the middleware over a handler answering 200, its
// refusals answered with their status and code.
func codeServer(t *testing.T, authn *auth.Authenticator) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(authn.Middleware(func(w http.ResponseWriter, r *http.Request, err error) {
		e := errs.As(err)
		if e == nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		http.Error(w, e.Code, e.Kind.HTTPStatus())
	})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })))
	t.Cleanup(srv.Close)
	return srv
}

// get sends a GET of path to srv with headers (name, value, …) and
// returns the status and body.
func get(t *testing.T, srv *httptest.Server, path string, headers ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest("GET", srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestSemicolonQueryRefused: a query holding a semicolon, which Go's
// URL.Query drops with its pair (?q=户籍;人口 read as no query, the whole
// catalog listed), is refused with 400 invalid_query on every path, API
// and console, before authentication: a bad key sent with one leaves no
// auth.key row. An encoded semicolon (%3B) is a value's character.
func TestSemicolonQueryRefused(t *testing.T) {
	wantQueriesRefused(t, "a semicolon",
		[]string{"/api/v1/catalog/entries?q=户籍;人口", "/api/v1/catalog/entries?sort=name;drop",
			"/api/v1/catalog/entries?;", "/catalog?q=a;b", "/records/lookup?entry=1&subject=x;y"},
		"/api/v1/catalog/entries?q=a;b",
		[]string{"/api/v1/catalog/entries?q=%E6%88%B7%3B", "/catalog?q=a%3Bb&sort=name"})
}

// wantQueriesRefused checks, on both engines, that each path of refused
// is answered 400 invalid_query, that badKey sent with a wrong key is
// answered 400 leaving no audit row (refused before the key is read), its
// query holding what, and that each path of taken is answered 200.
func wantQueriesRefused(t *testing.T, what string, refused []string, badKey string, taken []string) {
	t.Helper()
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		authn := &auth.Authenticator{DB: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return now }}
		srv := codeServer(t, authn)
		for _, path := range refused {
			if status, body := get(t, srv, path); status != http.StatusBadRequest || body != "invalid_query\n" {
				t.Errorf("%s: %d %q, want 400 invalid_query", path, status, body)
			}
		}
		if status, body := get(t, srv, badKey, "Authorization", "Bearer htk_abcdef012345_wrong"); status != http.StatusBadRequest {
			t.Errorf("a bad key with %s: %d %q, want 400", what, status, body)
		}
		var n int
		if err := db.Read().QueryRowContext(context.Background(), `SELECT count(*) FROM audit_log`).Scan(&n); err != nil || n != 0 {
			t.Errorf("audit rows: %d %v, want none (refused before the key is read)", n, err)
		}
		for _, path := range taken {
			if status, body := get(t, srv, path); status != http.StatusOK {
				t.Errorf("%s: %d %q, want 200", path, status, body)
			}
		}
	})
}

// TestMalformedEscapeQueryRefused: a query pair holding a percent-escape
// Go cannot decode (a % not followed by two hexadecimal digits), which
// URL.Query drops whole (?department_id=4% read as no filter, the whole
// catalog listed), is refused with 400 invalid_query on every path, API
// and console, before authentication: a bad key sent with one leaves no
// auth.key row. A % written as %25, and a well-formed escape, are taken.
func TestMalformedEscapeQueryRefused(t *testing.T) {
	wantQueriesRefused(t, "a malformed escape",
		[]string{"/api/v1/catalog/entries?department_id=4%", "/api/v1/catalog/entries?q=100%",
			"/api/v1/catalog/entries?depatment_id=%zz", "/api/v1/catalog/entries?q=x&q=%zz", "/api/v1/catalog/entries?%=1",
			"/api/v1/catalog/entries?q=%E6%88%B", "/catalog?department_id=4%", "/healthz?%"},
		"/api/v1/catalog/entries?q=a%",
		[]string{"/api/v1/catalog/entries?q=100%25", "/catalog?q=%E6%88%B7+a&department_id=4", "/catalog?q=&&x"})
}
