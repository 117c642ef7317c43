package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRefusedImportReport: the report of an import refused for a bad row
// (all or nothing) counts the good row as created next to imported false,
// and stores nothing; the OpenAPI document says that its counts and actions
// are then what the import would have done.
func TestRefusedImportReport(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		key := catalogKey(t, f)
		if r := f.do(t, "POST", "/api/v1/catalog/import-mappings", key, `{"name":"民政","columns":{},"defaults":{"数据类型":"C","长度":"18"}}`); r.status != 200 {
			t.Fatalf("save mapping: %d %v", r.status, r.body)
		}
		req, _ := http.NewRequest("POST", f.srv.URL+"/api/v1/catalog/import?mapping=民政", bytes.NewReader([]byte(importCSV)))
		req.Header.Set("Content-Type", "text/csv")
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body map[string]any
		json.NewDecoder(resp.Body).Decode(&body)
		rep, _ := body["report"].(map[string]any)
		if resp.StatusCode != 400 || body["code"] != "import_rejected" || rep["imported"] != false || rep["created"] != 1.0 {
			t.Fatalf("refused import: got %d %v", resp.StatusCode, body)
		}
		if n := f.count(t, "catalog_entries"); n != 0 {
			t.Errorf("refused import stored %d entries", n)
		}
		schema := openAPIDoc(t)["components"].(map[string]any)["schemas"].(map[string]any)["CatalogImportReport"].(map[string]any)
		props := schema["properties"].(map[string]any)
		for _, name := range []string{"created", "updated", "unchanged", "submitted"} {
			if d, _ := props[name].(map[string]any)["description"].(string); !strings.Contains(d, "would") {
				t.Errorf("OpenAPI CatalogImportReport.%s: %q, want what it counts when imported is false", name, d)
			}
		}
	})
}
