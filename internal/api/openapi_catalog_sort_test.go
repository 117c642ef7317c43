package api_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/api"
)

// TestOpenAPICatalogSortPaging: the sort of both catalog lists says what
// keyset paging over updated_at does when an entry is edited while a
// client pages (the edit moves it ahead of the cursor, and the later pages
// miss it), and which sort does not, where the parameter said nothing.
func TestOpenAPICatalogSortPaging(t *testing.T) {
	doc, err := api.OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	paths := doc["paths"].(map[string]any)
	for _, path := range []string{"/api/v1/catalog/entries", "/api/v1/public/catalog"} {
		get := paths[path].(map[string]any)["get"].(map[string]any)
		found := false
		for _, p := range get["parameters"].([]any) {
			p, _ := p.(map[string]any)
			if p["name"] != "sort" {
				continue
			}
			found = true
			d, _ := p["description"].(string)
			for _, want := range []string{"updated_at", "earlier page", "missed", "name"} {
				if !strings.Contains(d, want) {
					t.Errorf("%s: sort's description %q does not say %q", path, d, want)
				}
			}
		}
		if !found {
			t.Errorf("%s: no sort parameter", path)
		}
	}
}
