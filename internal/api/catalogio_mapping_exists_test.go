package api_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestSaveImportMappingExists: POST /api/v1/catalog/import-mappings
// creates; a name the department's mappings already have is refused 409
// mapping_exists (field name), the stored mapping kept, as the console
// refuses it (0ff1454), where until 2026-12-06 the API replaced it
// silently. The same mapping sent again is answered 200 with it, nothing
// written. Replacing is explicit: If-Match with the ETag of the mapping as
// read (a POST's answer) replaces it while it is still so, a stale tag is
// refused 409 concurrent_update, and If-Match: * replaces whatever is
// stored. On both engines.
func TestSaveImportMappingExists(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f, key, r := withMapping(t, db)
		const path = "/api/v1/catalog/import-mappings"
		if r.header.Get("ETag") == "" {
			t.Fatalf("create: %d %v, ETag %q; want 200 with an ETag", r.status, r.body, r.header.Get("ETag"))
		}
		tag := r.header.Get("ETag")
		stored := func() string {
			t.Helper()
			items := mappings(t, f, key)
			if len(items) != 1 {
				t.Fatalf("list: %d mappings, want 1: %v", len(items), items)
			}
			cols, _ := items[0].(map[string]any)["columns"].(map[string]any)
			for h := range cols {
				return h
			}
			return ""
		}
		if r := f.do(t, "POST", path, key, `{"name":"民政","columns":{"名称":"name"}}`); r.status != 200 || r.header.Get("ETag") != tag {
			t.Errorf("the same mapping sent again: %d %v, ETag %q; want 200 with it, ETag %s", r.status, r.body, r.header.Get("ETag"), tag)
		}
		r = f.do(t, "POST", path, key, `{"name":"民政","columns":{"标题":"name"}}`)
		if r.status != 409 || r.body["code"] != "mapping_exists" || r.body["field"] != "name" {
			t.Errorf("another mapping of the name: %d %v; want 409 mapping_exists on name", r.status, r.body)
		}
		if h := stored(); h != "名称" {
			t.Errorf("stored column %q after the refusal, want 名称 kept", h)
		}
		r = f.do(t, "POST", path, key, `{"name":"民政","columns":{"标题":"name"}}`, "If-Match", tag)
		if r.status != 200 || stored() != "标题" {
			t.Fatalf("replace with the ETag: %d %v, stored %q; want 200, 标题", r.status, r.body, stored())
		}
		r = f.do(t, "POST", path, key, `{"name":"民政","columns":{"题名":"name"}}`, "If-Match", tag)
		if r.status != 409 || r.body["code"] != "concurrent_update" || stored() != "标题" {
			t.Errorf("replace with a stale ETag: %d %v, stored %q; want 409 concurrent_update, 标题 kept", r.status, r.body, stored())
		}
		r = f.do(t, "POST", path, key, `{"name":"民政","columns":{"题名":"name"}}`, "If-Match", "*")
		if r.status != 200 || stored() != "题名" {
			t.Errorf("replace with If-Match *: %d %v, stored %q; want 200, 题名", r.status, r.body, stored())
		}
	})
}
