package api_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
)

// TestOpenAPIRequestBodiesClosed: every object schema of a request body
// (its own, a $ref's, a property's, an array's items) that lists
// properties says additionalProperties: false, as Decode refuses a field
// it does not know (400 unknown_field): a client generated from the
// document learns that it may not send another. An object without
// properties is a map (a record's values, a mapping's columns), whose
// keys are the caller's: its additionalProperties is the schema of its
// values.
func TestOpenAPIRequestBodiesClosed(t *testing.T) {
	doc := openAPIDoc(t)
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	var check func(where string, s map[string]any, seen map[string]bool)
	check = func(where string, s map[string]any, seen map[string]bool) {
		if ref, ok := s["$ref"].(string); ok {
			name := strings.TrimPrefix(ref, "#/components/schemas/")
			if seen[name] {
				return
			}
			seen[name] = true
			target, ok := schemas[name].(map[string]any)
			if !ok {
				t.Errorf("%s: $ref %s names no schema", where, ref)
				return
			}
			check(where+" → "+name, target, seen)
			return
		}
		for _, k := range []string{"allOf", "oneOf", "anyOf"} {
			for i, sub := range asList(s[k]) {
				check(fmt.Sprintf("%s.%s[%d]", where, k, i), asObject(sub), seen)
			}
		}
		if items, ok := s["items"].(map[string]any); ok {
			check(where+"[]", items, seen)
		}
		props, hasProps := s["properties"].(map[string]any)
		switch ap := s["additionalProperties"].(type) {
		case bool:
			if ap || !hasProps {
				t.Errorf("%s: additionalProperties %v, want false beside its properties", where, ap)
			}
		case map[string]any:
			if hasProps {
				t.Errorf("%s: lists properties and takes others (additionalProperties a schema): want false", where)
			}
			check(where+"{*}", ap, seen)
		case nil:
			if hasProps || s["type"] == "object" {
				t.Errorf("%s: an object without additionalProperties: want false (Decode refuses unknown fields)", where)
			}
		}
		for name, p := range props {
			check(where+"."+name, asObject(p), seen)
		}
	}
	n := 0
	for path, item := range doc["paths"].(map[string]any) {
		for method, op := range item.(map[string]any) {
			body, ok := asObject(op)["requestBody"].(map[string]any)
			if !ok {
				continue
			}
			for ct, media := range body["content"].(map[string]any) {
				s := asObject(asObject(media)["schema"])
				if ct != "application/json" && ct != "multipart/form-data" {
					continue // a file or lines of text, no object
				}
				n++
				check(strings.ToUpper(method)+" "+path+" "+ct, s, map[string]bool{})
			}
		}
	}
	if n < 20 {
		t.Fatalf("only %d JSON request bodies in the document", n)
	}
}

// TestBodyRoutesRefuseUnknownFields: what TestOpenAPIRequestBodiesClosed
// holds the document to is what the routes do: each route taking a JSON
// body (bodyRoutes, and a record's operation) refuses a real body of its
// own with one field more, 400 unknown_field naming it. Routes of every
// part of the document are among them (foundation, catalog, its import
// mappings and transfers, records).
func TestBodyRoutesRefuseUnknownFields(t *testing.T) {
	s := newFuzzServer(t)
	type route struct{ method, path, caller, body string }
	var routes []route
	for i, rt := range bodyRoutes {
		if rt.contentType == "" {
			routes = append(routes, route{rt.method, rt.path, rt.caller, bodySeeds[i][0]})
		}
	}
	routes = append(routes, route{"POST", "/api/v1/records/entries/{gaentry}/ops", "ga",
		opLine("add", recordstest.CitizenID(5153), beijing(t0.Add(time.Minute)), map[string]string{"姓名": "王五"})})
	if len(routes) < 20 {
		t.Fatalf("only %d JSON routes", len(routes))
	}
	for _, rt := range routes {
		s.restore(t, rt.path)
		body, ok := strings.CutPrefix(strings.TrimSpace(rt.body), "{")
		if !ok {
			t.Fatalf("%s %s: seed %q is no JSON object", rt.method, rt.path, rt.body)
		}
		st, b := s.call(rt.method, s.path(rt.path), []byte(`{"zz_unknown":1,`+body), s.sessions[rt.caller])
		var p struct{ Code, Field string }
		json.Unmarshal(b, &p)
		if st != 400 || p.Code != "unknown_field" || p.Field != "zz_unknown" {
			t.Errorf("%s %s with a field more: %d %s, want 400 unknown_field, field zz_unknown", rt.method, rt.path, st, b)
		}
	}
}
