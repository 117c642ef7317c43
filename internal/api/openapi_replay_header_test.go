package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/api"
)

// TestOpenAPIReplayHeader: the successes of every operation that takes an
// Idempotency-Key declare the Idempotent-Replayed header a replay carries.
func TestOpenAPIReplayHeader(t *testing.T) {
	doc, err := api.OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	a := &api.API{}
	a.Register(http.NewServeMux())
	for _, rt := range a.Routes() {
		if !rt.Idempotent {
			continue
		}
		op := docOperation(doc, rt.Method, rt.DocPath())
		responses, _ := op["responses"].(map[string]any)
		successes := 0
		for code, r := range responses {
			if !strings.HasPrefix(code, "2") {
				continue
			}
			successes++
			headers, _ := r.(map[string]any)["headers"].(map[string]any)
			if headers["Idempotent-Replayed"] == nil {
				t.Errorf("%s %s: %s does not declare the header Idempotent-Replayed", rt.Method, rt.DocPath(), code)
			}
		}
		if successes == 0 {
			t.Errorf("%s %s documents no success", rt.Method, rt.DocPath())
		}
	}
}
