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
// record's current version (docs/records-push.md), and subject_ambiguous:
// a travel permit's lifetime number that begins the whole numbers of
// several records.
func TestOpenAPIRecordOpConflicts(t *testing.T) {
	doc, err := api.OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	op := doc["paths"].(map[string]any)["/api/v1/records/entries/{id}/ops"].(map[string]any)["post"].(map[string]any)
	desc, _ := op["responses"].(map[string]any)["409"].(map[string]any)["description"].(string)
	for _, code := range []string{"entry_not_published", "record_exists", "record_not_found", "record_cancelled", "out_of_order", "idempotency_key_reused", "subject_ambiguous"} {
		if !strings.Contains(desc, code) {
			t.Errorf("409 of POST …/ops does not name %s: %q", code, desc)
		}
	}
}

// TestOpenAPIRecordPushKeys: both push routes list the Idempotency-Key
// header they read (an operation's key, a batch's key); the single
// operation's 400 names conflicting_keys, its key given twice, differently.
func TestOpenAPIRecordPushKeys(t *testing.T) {
	doc, err := api.OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/api/v1/records/entries/{id}/ops", "/api/v1/records/entries/{id}/batches"} {
		op := doc["paths"].(map[string]any)[path].(map[string]any)["post"].(map[string]any)
		params, _ := op["parameters"].([]any)
		found := false
		for _, p := range params {
			p, _ := p.(map[string]any)
			desc, _ := p["description"].(string)
			found = found || p["name"] == "Idempotency-Key" && p["in"] == "header" && desc != ""
		}
		if !found {
			t.Errorf("POST %s does not list the Idempotency-Key header: %v", path, params)
		}
	}
	op := doc["paths"].(map[string]any)["/api/v1/records/entries/{id}/ops"].(map[string]any)["post"].(map[string]any)
	if desc, _ := op["responses"].(map[string]any)["400"].(map[string]any)["description"].(string); !strings.Contains(desc, "conflicting_keys") {
		t.Errorf("400 of POST …/ops does not name conflicting_keys: %q", desc)
	}
}
