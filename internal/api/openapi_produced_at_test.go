package api_test

import (
	"regexp"
	"testing"

	"github.com/hutong-gov/hutong/internal/api"
	"github.com/hutong-gov/hutong/internal/records"
)

// TestOpenAPIRecordOpProducedAt: RecordOp.produced_at is described by the
// forms the platform reads (records.ParseTime), where it was format
// date-time, which refuses the documented YYYY-MM-DD HH:MM:SS; and the
// batch route lists every JSON-lines media type the handler accepts
// (application/jsonl among them), where it listed application/x-ndjson
// alone.
func TestOpenAPIRecordOpProducedAt(t *testing.T) {
	doc, err := api.OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	schema := doc["components"].(map[string]any)["schemas"].(map[string]any)["RecordOp"].(map[string]any)
	pa := schema["properties"].(map[string]any)["produced_at"].(map[string]any)
	if pa["format"] != nil {
		t.Errorf("produced_at has format %v, which refuses YYYY-MM-DD HH:MM:SS", pa["format"])
	}
	pattern, _ := pa["pattern"].(string)
	re, err := regexp.Compile(pattern)
	if err != nil || pattern == "" {
		t.Fatalf("produced_at pattern %q: %v", pattern, err)
	}
	for _, s := range []string{"2026-03-02T10:00:00+08:00", "2026-03-02T02:00:00Z", "2026-03-02T10:00:00.5+08:00", "2026-03-02 10:00:00",
		"2026-03-02T10:00:00", "2026-03-02 10:00", "2026-03-02", "2026/3/2 10:00", "2026-3-2", "10:00", "2026-03-02 10",
		"2026-03-02T10:00", "2026-03-02 10:00:00+08:00", "2026-03-02 10:00:00.5", " 2026-03-02 10:00:00 ", "2026-03-02T10:00:00+0800"} {
		_, perr := records.ParseTime(s)
		if re.MatchString(s) != (perr == nil) {
			t.Errorf("%q: pattern matches %v, ParseTime reads it %v", s, re.MatchString(s), perr == nil)
		}
	}
	body := doc["paths"].(map[string]any)["/api/v1/records/entries/{id}/batches"].(map[string]any)["post"].(map[string]any)["requestBody"].(map[string]any)
	content := body["content"].(map[string]any)
	for _, ct := range []string{"application/x-ndjson", "application/jsonl", "application/jsonlines", "application/x-jsonlines", "text/csv"} {
		if content[ct] == nil {
			t.Errorf("batch request body does not list %s", ct)
		}
	}
}
