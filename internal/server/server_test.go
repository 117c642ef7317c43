package server_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/server"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

func TestMain(m *testing.M) { os.Exit(sqldbtest.Main(m)) }

func newServer(t *testing.T, db *sqldb.DB) *httptest.Server {
	t.Helper()
	s, err := server.New(server.Config{DB: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return ts
}

func TestHealthAndLimits(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ts := newServer(t, db)
		for _, path := range []string{"/healthz", "/readyz", "/metrics", "/api/v1/openapi.json"} {
			resp, err := http.Get(ts.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Errorf("%s: got %d, want 200", path, resp.StatusCode)
			}
			if resp.Header.Get("X-Request-ID") == "" {
				t.Errorf("%s: no X-Request-ID", path)
			}
		}

		big := strings.NewReader(`{"username":"` + strings.Repeat("x", server.MaxJSONBody) + `"}`)
		resp, err := http.Post(ts.URL+"/api/v1/auth/login", "application/json", big)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(body), "body_too_large") {
			t.Errorf("oversized body: got %d %s, want 413 body_too_large", resp.StatusCode, body)
		}

		// A browser form posted from another site is refused before any handler.
		req, _ := http.NewRequest("POST", ts.URL+"/api/v1/auth/login", strings.NewReader(`{}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		resp, err = http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("cross-site POST: got %d, want 403", resp.StatusCode)
		}
	})
}

func TestReadyzFailsWithoutDatabase(t *testing.T) {
	db := sqldbtest.SQLite(t)
	ts := newServer(t, db)
	db.Close()
	resp, err := http.Get(ts.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("readyz with closed database: got %d, want 503", resp.StatusCode)
	}
}
