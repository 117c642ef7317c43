package api_test

import (
	"fmt"
	"sort"
	"testing"
)

// TestOpenAPINullableHasType: in OpenAPI 3.0.3, nullable adds null to the
// values a schema object allows only when that object sets type, so
// nullable without type beside it allows no null to a strict validator.
// No schema of the document has it so; and a record operation's value
// (RecordOp.values) may be null: exactly one branch of its oneOf allows
// null, where nullable stood beside the oneOf and no branch allowed it.
func TestOpenAPINullableHasType(t *testing.T) {
	doc := openAPIDoc(t)
	var walk func(v any, at string)
	walk = func(v any, at string) {
		switch v := v.(type) {
		case map[string]any:
			if v["nullable"] == true && v["type"] == nil {
				t.Errorf("%s: nullable without type in the same schema object", at)
			}
			keys := make([]string, 0, len(v))
			for k := range v {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				walk(v[k], at+"/"+k)
			}
		case []any:
			for i, e := range v {
				walk(e, fmt.Sprintf("%s/%d", at, i))
			}
		}
	}
	walk(doc, "#")

	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	value, _ := schemas["RecordOp"].(map[string]any)["properties"].(map[string]any)["values"].(map[string]any)["additionalProperties"].(map[string]any)
	if value == nil {
		t.Fatal("RecordOp.values has no additionalProperties schema")
	}
	// null is allowed by a branch that sets type and nullable (3.0.3).
	nullBranches := 0
	for _, b := range asList(value["oneOf"]) {
		if b := b.(map[string]any); b["type"] != nil && b["nullable"] == true {
			nullBranches++
		}
	}
	if nullBranches != 1 {
		t.Errorf("RecordOp.values: %d branches of %v allow null, want exactly 1", nullBranches, value["oneOf"])
	}
}
