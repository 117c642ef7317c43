package api_test

import (
	"mime"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestOpenAPIDocumentsItself: GET /api/v1/openapi.json answers the
// document as application/json, and its documented 200 declares that
// content, an object (it declared none: a generated client typed the
// answer as nothing), which the answer matches. On both engines.
func TestOpenAPIDocumentsItself(t *testing.T) {
	doc := openAPIDoc(t)
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		r := f.do(t, "GET", "/api/v1/openapi.json", "", "")
		mt, _, _ := mime.ParseMediaType(r.header.Get("Content-Type"))
		if r.status != 200 || mt != "application/json" || r.body["openapi"] == nil {
			t.Fatalf("GET /api/v1/openapi.json: %d %s %.200v", r.status, r.header.Get("Content-Type"), r.body)
		}
		content, _ := documentedResponse(t, doc, "GET", "/api/v1/openapi.json", 200)["content"].(map[string]any)
		media, _ := content[mt].(map[string]any)
		schema, _ := media["schema"].(map[string]any)
		if schema == nil || schema["type"] != "object" {
			t.Fatalf("GET /api/v1/openapi.json: its 200 declares no %s object: %v", mt, content)
		}
		for _, e := range schemaErrors(doc, schema, r.body, "") {
			t.Error(e)
		}
	})
}
