package api_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/api"
)

// TestOpenAPIRecordOpConflicts: the 409 of a single pushed operation lists
// the codes the route answers with it (records.Push's conflicts), among
// them idempotency_key_reused: a key applied before to the record with
// another operation, and out_of_order: an operation produced before the
// record's current version (docs/records-push.md).
func TestOpenAPIRecordOpConflicts(t *testing.T) {
	doc, err := api.OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	op := doc["paths"].(map[string]any)["/api/v1/records/entries/{id}/ops"].(map[string]any)["post"].(map[string]any)
	desc, _ := op["responses"].(map[string]any)["409"].(map[string]any)["description"].(string)
	for _, code := range []string{"entry_not_published", "record_exists", "record_not_found", "record_cancelled", "out_of_order", "idempotency_key_reused"} {
		if !strings.Contains(desc, code) {
			t.Errorf("409 of POST …/ops does not name %s: %q", code, desc)
		}
	}
}
