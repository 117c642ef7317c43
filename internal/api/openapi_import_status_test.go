package api_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestOpenAPIImportOKDescribed: POST /api/v1/catalog/import answers 200,
// not 201, to an import that created no entry but updated one or
// submitted one for review, and its documented 200 says so (it said
// "Imported nothing new, or a dry run"), naming the report's counts that
// tell what was done; 201 is for an import that created an entry. The
// answers on both engines.
func TestOpenAPIImportOKDescribed(t *testing.T) {
	doc := openAPIDoc(t)
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		key := catalogKey(t, f)
		mapping := `{"name":"民政","columns":{},"defaults":{"数据类型":"C","长度":"18"}}`
		if r := f.do(t, "POST", "/api/v1/catalog/import-mappings", key, mapping); r.status != 200 {
			t.Fatalf("save mapping: %d %v", r.status, r.body)
		}
		head, row, _ := strings.Cut(importCSV, "\n")
		row, _, _ = strings.Cut(row, "\n")
		send := func(query, csv string) (int, map[string]any) {
			t.Helper()
			return postRaw(t, f.srv.URL+"/api/v1/catalog/import?mapping=民政"+query, key, "text/csv", bytes.NewReader([]byte(csv)))
		}
		if status, body := send("", head+"\n"+row+"\n"); status != 201 || body["created"] != 1.0 {
			t.Fatalf("create: %d %v, want 201 created 1", status, body)
		}
		changed := strings.Replace(row, "结婚离婚登记", "结婚登记、离婚登记", 1)
		if status, body := send("", head+"\n"+changed+"\n"); status != 200 || body["imported"] != true || body["created"] != 0.0 || body["updated"] != 1.0 {
			t.Errorf("update: %d %v, want 200 imported, created 0, updated 1", status, body)
		}
		if status, body := send("&submit=true", head+"\n"+changed+"\n"); status != 200 || body["imported"] != true || body["created"] != 0.0 || body["submitted"] != 1.0 {
			t.Errorf("submit: %d %v, want 200 imported, created 0, submitted 1", status, body)
		}
	})
	desc, _ := documentedResponse(t, doc, "POST", "/api/v1/catalog/import", 200)["description"].(string)
	for _, want := range []string{"created no entry", "updated", "submitted", "dry run"} {
		if !strings.Contains(desc, want) {
			t.Errorf("POST /api/v1/catalog/import 200 does not say %q: %q", want, desc)
		}
	}
	if strings.Contains(desc, "nothing new") {
		t.Errorf("POST /api/v1/catalog/import 200 says it imported nothing new: %q", desc)
	}
}
