package server_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/server"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestAPIPathNotClean: an API path that is not in its clean form (an
// empty segment, a . or .. segment) is answered 404 non_canonical_path
// as a problem document, where the mux redirected it to the clean path
// (301, text/html), which a client would follow as a GET without its body.
// /api, which the mux redirected to /api/, is no route: 404
// route_not_found.
func TestAPIPathNotClean(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ts := newServer(t, db)
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		for _, tc := range []struct{ method, path, code, detail string }{
			{"POST", "/api/v1//records/crosscheck", "non_canonical_path", "接口地址"},
			{"GET", "/api/v1/./me", "non_canonical_path", "接口地址"},
			{"GET", "/api/v1/catalog/../me", "non_canonical_path", "接口地址"},
			{"GET", "//api/v1/openapi.json", "non_canonical_path", "接口地址"},
			{"GET", "/api", "route_not_found", "接口不存在：GET /api"},
		} {
			req, err := http.NewRequest(tc.method, ts.URL+tc.path, strings.NewReader("{}"))
			if err != nil {
				t.Fatal(err)
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var p struct{ Code, Detail string }
			err = json.NewDecoder(resp.Body).Decode(&p)
			resp.Body.Close()
			if resp.StatusCode != http.StatusNotFound || resp.Header.Get("Content-Type") != "application/problem+json" ||
				err != nil || p.Code != tc.code || !strings.Contains(p.Detail, tc.detail) {
				t.Errorf("%s %s: %d %s Location %q %+v (%v), want 404 %s", tc.method, tc.path, resp.StatusCode,
					resp.Header.Get("Content-Type"), resp.Header.Get("Location"), p, err, tc.code)
			}
		}
	})
}

// TestStartingPathNotClean: while the server starts, an API path that is
// not clean is answered as when it runs (404 non_canonical_path), not
// redirected.
func TestStartingPathNotClean(t *testing.T) {
	rec := httptest.NewRecorder()
	server.Starting(server.Migrating).ServeHTTP(rec, httptest.NewRequest("POST", "/api/v1//records/crosscheck", nil))
	var p struct{ Code string }
	err := json.Unmarshal(rec.Body.Bytes(), &p)
	if rec.Code != http.StatusNotFound || err != nil || p.Code != "non_canonical_path" {
		t.Errorf("got %d %s %q, want 404 non_canonical_path", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
}
