package api

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"sort"
	"sync"
)

// The OpenAPI document is kept by hand, one fragment per area in openapi/,
// merged at first use. A test keeps it equal to the registered routes.
//
//go:embed openapi/*.json
var openapiFS embed.FS

var openapiDoc = sync.OnceValues(func() ([]byte, error) {
	doc, err := OpenAPIDocument()
	if err != nil {
		return nil, err
	}
	return json.MarshalIndent(doc, "", "  ")
})

// OpenAPIDocument merges the fragments: base.json gives info and
// components; every file may add paths and component schemas.
func OpenAPIDocument() (map[string]any, error) {
	names, err := fs.Glob(openapiFS, "openapi/*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	doc := map[string]any{}
	paths := map[string]any{}
	schemas := map[string]any{}
	for _, name := range names {
		b, err := openapiFS.ReadFile(name)
		if err != nil {
			return nil, err
		}
		var frag map[string]any
		if err := json.Unmarshal(b, &frag); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		for k, v := range frag {
			switch k {
			case "paths":
				for p, item := range v.(map[string]any) {
					if _, dup := paths[p]; dup {
						return nil, fmt.Errorf("%s: path %s described twice", name, p)
					}
					paths[p] = item
				}
			case "components":
				comp := v.(map[string]any)
				for s, schema := range asMap(comp["schemas"]) {
					schemas[s] = schema
				}
				for ck, cv := range comp {
					if ck != "schemas" {
						doc["components_"+ck] = cv
					}
				}
			default:
				doc[k] = v
			}
		}
	}
	components := map[string]any{"schemas": schemas}
	for k, v := range doc {
		if len(k) > 11 && k[:11] == "components_" {
			components[k[11:]] = v
			delete(doc, k)
		}
	}
	doc["paths"] = paths
	doc["components"] = components
	return doc, nil
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func (a *API) openAPI(w http.ResponseWriter, r *http.Request) error {
	b, err := openapiDoc()
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, err = w.Write(b)
	return err
}
