package api_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// withMapping is a fixture on db, the key of its cataloging app
// (catalogKey), and the answer to that key's POST of the mapping 民政
// (名称 for the name) to /api/v1/catalog/import-mappings, failing t unless
// the POST answers 200.
func withMapping(t *testing.T, db *sqldb.DB) (*fixture, string, response) {
	t.Helper()
	f := newFixture(t, db)
	key := catalogKey(t, f)
	r := f.do(t, "POST", "/api/v1/catalog/import-mappings", key, `{"name":"民政","columns":{"名称":"name"}}`)
	if r.status != 200 {
		t.Fatalf("create: %d %v", r.status, r.body)
	}
	return f, key, r
}

// mappings lists the import mappings key sees, failing t unless the list
// answers 200.
func mappings(t *testing.T, f *fixture, key string) []any {
	t.Helper()
	r := f.do(t, "GET", "/api/v1/catalog/import-mappings", key, "")
	items, _ := r.body["items"].([]any)
	if r.status != 200 {
		t.Fatalf("list: %d %v", r.status, r.body)
	}
	return items
}

// TestImportMappingListETag: GET /api/v1/catalog/import-mappings gives
// each mapping its etag, the ETag its POST answered, so that a client
// that did not save it can replace it conditionally (it had only
// If-Match: *): the listed etag sent as If-Match replaces the mapping,
// whose new etag the list then gives; the old one, stale, is refused 409
// concurrent_update, nothing changed. A listed mapping sent back, etag
// and all, is the same mapping (200, nothing written). On both engines.
func TestImportMappingListETag(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f, key, saved := withMapping(t, db)
		const path = "/api/v1/catalog/import-mappings"
		if saved.status != 200 || saved.header.Get("ETag") == "" || saved.body["etag"] != saved.header.Get("ETag") {
			t.Fatalf("create: %d %v, ETag %q; want 200, its etag the ETag", saved.status, saved.body, saved.header.Get("ETag"))
		}
		listed := func() map[string]any {
			t.Helper()
			items := mappings(t, f, key)
			if len(items) != 1 {
				t.Fatalf("list: %v", items)
			}
			return items[0].(map[string]any)
		}
		item := listed()
		tag, _ := item["etag"].(string)
		if tag != saved.header.Get("ETag") {
			t.Fatalf("listed etag %q, want the POST's ETag %q", tag, saved.header.Get("ETag"))
		}
		back := `{"name":"民政","columns":{"名称":"name"},"department_id":1,"updated_by":"x","updated_at":"2026-01-01T00:00:00Z","etag":"\"stale\""}`
		if r := f.do(t, "POST", path, key, back); r.status != 200 || r.body["etag"] != tag {
			t.Errorf("the listed mapping sent back: %d %v; want 200 with etag %s", r.status, r.body, tag)
		}

		r := f.do(t, "POST", path, key, `{"name":"民政","columns":{"标题":"name"}}`, "If-Match", tag)
		if r.status != 200 || r.header.Get("ETag") == tag {
			t.Fatalf("replace with the listed etag: %d %v, ETag %q; want 200 with a new ETag", r.status, r.body, r.header.Get("ETag"))
		}
		item = listed()
		if cols, _ := item["columns"].(map[string]any); cols["标题"] != "name" || item["etag"] != r.header.Get("ETag") {
			t.Fatalf("listed after the replace: %v; want 标题 and etag %s", item, r.header.Get("ETag"))
		}
		r = f.do(t, "POST", path, key, `{"name":"民政","columns":{"题名":"name"}}`, "If-Match", tag)
		if r.status != 409 || r.body["code"] != "concurrent_update" {
			t.Errorf("replace with the stale listed etag: %d %v; want 409 concurrent_update", r.status, r.body)
		}
		if cols, _ := listed()["columns"].(map[string]any); cols["标题"] != "name" {
			t.Errorf("stored after the refusal: %v; want 标题 kept", cols)
		}
	})
}
