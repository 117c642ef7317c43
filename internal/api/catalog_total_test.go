package api_test

import (
	"net/url"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCatalogUncountedTotal: a search with facets=false does not count its
// hits, so its page leaves total out, on the API's list and the public
// catalog alike, where it answered "total":0 next to its hits; without it
// the total is counted. On both engines.
func TestCatalogUncountedTotal(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin, op := f.session(t, "mz.admin"), f.session(t, "nh.op")
		created := f.do(t, "POST", "/api/v1/catalog/entries", "", marriageEntry, admin...)
		if created.status != 201 {
			t.Fatalf("create: %d %v", created.status, created.body)
		}
		base := "/api/v1/catalog/entries/" + jsonNumber(created.body["id"])
		for _, step := range []struct {
			path string
			hdr  []string
		}{{base + "/submit", admin}, {base + "/approve", op}} {
			if r := f.do(t, "POST", step.path, "", "", step.hdr...); r.status != 200 {
				t.Fatalf("POST %s: %d %v", step.path, r.status, r.body)
			}
		}
		q := "q=" + url.QueryEscape("婚姻")
		for _, tt := range []struct {
			path, key string
			counted   bool
		}{
			{"/api/v1/catalog/entries?" + q, f.readKey, true},
			{"/api/v1/catalog/entries?facets=false&" + q, f.readKey, false},
			{"/api/v1/catalog/entries?facets=true&" + q, f.readKey, true},
			{"/api/v1/public/catalog?" + q, "", true},
			{"/api/v1/public/catalog?facets=false&" + q, "", false},
		} {
			r := f.do(t, "GET", tt.path, tt.key, "")
			if r.status != 200 {
				t.Fatalf("GET %s: %d %v", tt.path, r.status, r.body)
			}
			if items, _ := r.body["items"].([]any); len(items) != 1 {
				t.Errorf("GET %s: items %v, want the entry", tt.path, r.body["items"])
			}
			total, has := r.body["total"]
			switch {
			case tt.counted && total != 1.0:
				t.Errorf("GET %s: total %v, want 1", tt.path, total)
			case !tt.counted && has:
				t.Errorf("GET %s: total %v, want none (not counted)", tt.path, total)
			}
		}
	})
}
