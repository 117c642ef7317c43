package api_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/hutong-gov/hutong/internal/api"
)

// TestOpenAPIValid: the document GET /api/v1/openapi.json serves is valid
// OpenAPI 3.0, as a client generator reads it (kin-openapi, which
// oapi-codegen uses): a schema's type is one string, a Media Type object
// holds no description, every $ref resolves, and so on.
func TestOpenAPIValid(t *testing.T) {
	a := &api.API{Log: slog.New(slog.DiscardHandler)}
	mux := http.NewServeMux()
	a.Register(mux)
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/openapi.json", nil))
	if rec.Code != 200 {
		t.Fatalf("GET /api/v1/openapi.json: %d %s", rec.Code, rec.Body)
	}
	b, err := io.ReadAll(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(b)
	if err != nil {
		t.Fatalf("the served document does not load as OpenAPI 3: %v", err)
	}
	if doc.OpenAPI != "3.0.3" {
		t.Errorf("openapi %q, want 3.0.3", doc.OpenAPI)
	}
	if err := doc.Validate(loader.Context, openapi3.EnableExamplesValidation()); err != nil {
		t.Errorf("the served document is not valid OpenAPI 3.0: %v", err)
	}
}
