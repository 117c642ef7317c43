package api_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/api"
	"github.com/hutong-gov/hutong/internal/auth"
)

// TestOpenAPISessionCSRF: the session cookie is never a security
// requirement alone: each requirement naming it names the X-CSRF-Token
// header as well, an apiKey scheme, so that a generated client sends the
// token the server checks on unsafe requests (csrf_failed otherwise).
func TestOpenAPISessionCSRF(t *testing.T) {
	doc, err := api.OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	schemes := doc["components"].(map[string]any)["securitySchemes"].(map[string]any)
	isCSRF := func(name string) bool {
		s, _ := schemes[name].(map[string]any)
		return s["type"] == "apiKey" && s["in"] == "header" && s["name"] == auth.CSRFHeader
	}
	check := func(where string, reqs []any) {
		for _, req := range reqs {
			r := req.(map[string]any)
			if _, ok := r["session"]; !ok {
				continue
			}
			csrf := false
			for name := range r {
				csrf = csrf || isCSRF(name)
			}
			if !csrf {
				t.Errorf("%s: the security requirement %v has the session cookie without the %s header", where, r, auth.CSRFHeader)
			}
		}
	}
	top, _ := doc["security"].([]any)
	check("document", top)
	for path, item := range doc["paths"].(map[string]any) {
		for method, op := range item.(map[string]any) {
			if reqs, ok := op.(map[string]any)["security"].([]any); ok {
				check(method+" "+path, reqs)
			}
		}
	}
}
