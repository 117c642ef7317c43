package web_test

import (
	"net/http"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestPublicHomeRedirects: /public and /public/, as people shorten the
// public catalog's address, lead to it with the query kept, where they
// answered 404 页面不存在.
func TestPublicHomeRedirects(t *testing.T) {
	f := newFixture(t, sqldbtest.SQLite(t))
	anon := f.client(t)
	for path, want := range map[string]string{
		"/public":             "/public/catalog",
		"/public/":            "/public/catalog",
		"/public?q=%E6%88%B7": "/public/catalog?q=%E6%88%B7",
	} {
		r := anon.get(path)
		if r.Status != http.StatusSeeOther || r.Location != want {
			t.Errorf("GET %s: %d to %q, want 303 to %q", path, r.Status, r.Location, want)
		}
	}
	wantStatus(t, "/public/x", anon.get("/public/x"), http.StatusNotFound)
}
