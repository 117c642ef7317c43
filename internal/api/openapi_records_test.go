package api_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/api"
)

// TestOpenAPIRecordOpConflicts: the 409 of a single pushed operation lists
// the codes the route answers with it (records.Push's conflicts), and
// not idempotency_key_reused, which it never answers: a key applied before
// answers 200 with duplicates 1 (docs/records-push.md).
func TestOpenAPIRecordOpConflicts(t *testing.T) {
	doc, err := api.OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	op := doc["paths"].(map[string]any)["/api/v1/records/entries/{id}/ops"].(map[string]any)["post"].(map[string]any)
	desc, _ := op["responses"].(map[string]any)["409"].(map[string]any)["description"].(string)
	for _, code := range []string{"entry_not_published", "record_exists", "record_not_found", "record_cancelled"} {
		if !strings.Contains(desc, code) {
			t.Errorf("409 of POST …/ops does not name %s: %q", code, desc)
		}
	}
	if strings.Contains(desc, "idempotency_key_reused") {
		t.Errorf("409 of POST …/ops names idempotency_key_reused, which the route never answers: %q", desc)
	}
}
