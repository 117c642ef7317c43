package api_test

import (
	"os"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/api"
	"github.com/hutong-gov/hutong/internal/audit"
)

// TestAuditActionGroupsDocumented: the OpenAPI description of the audit
// log's action parameter and the README name every group of
// audit.ActionGroups, which the filter takes: both listed account, org,
// catalog, read, push and check and said another group was refused, while
// group:audit (审计, audit.read) was taken.
func TestAuditActionGroupsDocumented(t *testing.T) {
	doc, err := api.OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	op := doc["paths"].(map[string]any)["/api/v1/audit"].(map[string]any)["get"].(map[string]any)
	var desc string
	for _, p := range op["parameters"].([]any) {
		if p := p.(map[string]any); p["name"] == "action" {
			desc, _ = p["description"].(string)
		}
	}
	if desc == "" {
		t.Fatal("GET /api/v1/audit documents no action parameter")
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range audit.ActionGroups {
		if want := audit.GroupPrefix + g.Key + " (" + g.Label + ")"; !strings.Contains(desc, want) {
			t.Errorf("the OpenAPI description of action lacks %q: %s", want, desc)
		}
		if want := "`" + audit.GroupPrefix + g.Key + "`"; !strings.Contains(string(readme), want) {
			t.Errorf("README.md does not name the action group %s", want)
		}
	}
}
