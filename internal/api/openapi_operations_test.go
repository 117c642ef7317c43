package api_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/api"
)

// TestOpenAPIOperationIDs: every operation has an operationId, in
// camelCase, that no other operation has, so that a generated client
// names its methods after them rather than after paths.
func TestOpenAPIOperationIDs(t *testing.T) {
	doc, err := api.OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	camel := regexp.MustCompile(`^[a-z][a-zA-Z0-9]*$`)
	seen := map[string]string{}
	for path, item := range doc["paths"].(map[string]any) {
		for method, op := range item.(map[string]any) {
			where := strings.ToUpper(method) + " " + path
			id, _ := op.(map[string]any)["operationId"].(string)
			switch {
			case id == "":
				t.Errorf("%s has no operationId", where)
			case !camel.MatchString(id):
				t.Errorf("%s: operationId %q is not camelCase", where, id)
			case seen[id] != "":
				t.Errorf("%s: operationId %q is %s's too", where, id, seen[id])
			default:
				seen[id] = where
			}
		}
	}
}
