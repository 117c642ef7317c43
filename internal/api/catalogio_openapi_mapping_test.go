package api_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCatalogImportMappingDocument: the OpenAPI document describes the
// import mappings as the API answers. Saving a mapping with a default the
// import cannot read is 400 invalid_default, which the operation's 400
// lists; the inline mapping part of POST /catalog/import needs no name
// (the import takes it without one), so its schema does not require one,
// while a saved mapping's does.
func TestCatalogImportMappingDocument(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		key := catalogKey(t, f)
		doc := f.do(t, "GET", "/api/v1/openapi.json", "", "")
		if doc.status != 200 {
			t.Fatalf("openapi.json: %d", doc.status)
		}
		get := func(v any, path ...string) any {
			for _, p := range path {
				m, _ := v.(map[string]any)
				v = m[p]
				if r, ok := asObject(v)["$ref"].(string); ok {
					v = doc.body["components"].(map[string]any)["schemas"].(map[string]any)[strings.TrimPrefix(r, "#/components/schemas/")]
				}
			}
			return v
		}
		requires := func(schema any, name string) bool {
			req, _ := get(schema, "required").([]any)
			for _, r := range req {
				if r == name {
					return true
				}
			}
			return false
		}

		r := f.do(t, "POST", "/api/v1/catalog/import-mappings", key, `{"name":"火星","defaults":{"网络环境":"火星网"}}`)
		code, _ := r.body["code"].(string)
		if r.status != 400 || code != "invalid_default" {
			t.Fatalf("save mapping with an unreadable default: %d %v, want 400 invalid_default", r.status, r.body)
		}
		post := get(doc.body, "paths", "/api/v1/catalog/import-mappings", "post")
		if d, _ := get(post, "responses", "400", "description").(string); !strings.Contains(d, code) {
			t.Errorf("POST import-mappings 400 does not list %s: %q", code, d)
		}
		if !requires(get(post, "requestBody", "content", "application/json", "schema"), "name") {
			t.Errorf("a saved mapping's schema does not require name")
		}

		status, body := multipartImport(t, f, key, "?dry_run=true",
			part{name: "mapping", body: `{"columns":{"备用":""},"defaults":{"网络环境":"政务外网"}}`},
			part{name: "file", file: "c.csv", body: "资源名称,摘要\n测试,摘要\n"})
		if c, _ := body["code"].(string); c == "name_required" || (status != 200 && c != "import_rejected") {
			t.Fatalf("import with an inline mapping without a name: %d %v", status, body)
		}
		inline := get(doc.body, "paths", "/api/v1/catalog/import", "post", "requestBody", "content",
			"multipart/form-data", "schema", "properties", "mapping")
		if inline == nil || requires(inline, "name") {
			b, _ := json.Marshal(inline)
			t.Errorf("the inline mapping part's schema requires name: %s", b)
		}
	})
}

// asObject returns v as a JSON object, or nil when it is none.
func asObject(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}
