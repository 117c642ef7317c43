package api_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/api"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// openAPIDoc is the merged OpenAPI document.
func openAPIDoc(t *testing.T) map[string]any {
	t.Helper()
	doc, err := api.OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// documentedResponse is the response the document gives operation
// method docPath for status, a shared response ($ref) resolved; nil when
// it gives none.
func documentedResponse(t *testing.T, doc map[string]any, method, docPath string, status int) map[string]any {
	t.Helper()
	op, _ := doc["paths"].(map[string]any)[docPath].(map[string]any)[strings.ToLower(method)].(map[string]any)
	if op == nil {
		t.Fatalf("OpenAPI has no operation %s %s", method, docPath)
	}
	r, _ := op["responses"].(map[string]any)[strconv.Itoa(status)].(map[string]any)
	if ref, ok := r["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/components/responses/")
		r, _ = doc["components"].(map[string]any)["responses"].(map[string]any)[name].(map[string]any)
	}
	return r
}

// TestOpenAPIDocumentsRefusals: refusals the server answers are documented
// for their operation, with their status and, in its description, their
// code.
func TestOpenAPIDocumentsRefusals(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		doc := openAPIDoc(t)
		op := rf.session(t, "nh.op")
		draft := rf.do(t, "POST", "/api/v1/catalog/entries", "", marriageEntry, op...)
		if draft.status != 201 {
			t.Fatalf("create draft: %d %v", draft.status, draft.body)
		}
		draftID := jsonNumber(draft.body["id"])
		app := `{"name":"新应用","department_id":` + itoa(rf.deptID) + `,"scopes":["catalog.read"]}`
		if r := rf.do(t, "POST", "/api/v1/apps", rf.opKey, app, "Idempotency-Key", "k1"); r.status != 201 {
			t.Fatalf("create app: %d %v", r.status, r.body)
		}
		csv := []string{"Content-Type", "text/csv"}
		for _, tt := range []struct {
			method, path, docPath, key, body string
			hdr                              []string
			status                           int
			code                             string
		}{
			{"GET", "/api/v1/apps", "", rf.readKey, "", nil, 403, "forbidden"},
			{"POST", "/api/v1/apps", "", rf.opKey, `{"name":"运维","department_id":` + itoa(rf.deptID) + `,"scopes":["catalog.read"]}`, nil, 409, "app_exists"},
			{"POST", "/api/v1/apps", "", rf.opKey, `{"name":"另一应用","scopes":["catalog.read"]}`, []string{"Idempotency-Key", "k1"}, 409, "idempotency_key_reused"},
			{"GET", "/api/v1/apps/" + itoa(rf.otherAppID), "/api/v1/apps/{id}", rf.gaKey, "", nil, 403, "forbidden"},
			{"POST", "/api/v1/apps/" + itoa(rf.otherAppID) + "/rotate", "/api/v1/apps/{id}/rotate", rf.opKey, `{"grace_hours":9999}`, nil, 400, "invalid_grace"},
			{"POST", "/api/v1/auth/logout", "", rf.opKey, "", nil, 400, "no_session"},
			{"POST", "/api/v1/auth/login", "", "", `{"username":`, nil, 400, "malformed_json"},
			{"POST", "/api/v1/catalog/entries/999999/reject", "/api/v1/catalog/entries/{id}/reject", "", `{"reason":"不全"}`, op, 404, "entry_not_found"},
			{"POST", "/api/v1/catalog/entries/999999/retire", "/api/v1/catalog/entries/{id}/retire", "", "", op, 404, "entry_not_found"},
			{"POST", "/api/v1/catalog/entries/" + draftID + "/submit", "/api/v1/catalog/entries/{id}/submit", "", "x", append([]string{"Content-Type", "text/plain"}, op...), 400, "unsupported_media_type"},
			{"GET", "/api/v1/catalog/entries/" + itoa(rf.entryA) + "/diff?from=x", "/api/v1/catalog/entries/{id}/diff", rf.readKey, "", nil, 400, "invalid_number"},
			{"PUT", "/api/v1/catalog/security-levels/abc", "/api/v1/catalog/security-levels/{level}", "", `{"name":"一级","description":"公开"}`, op, 404, "not_found"},
			{"GET", "/api/v1/catalog/registration?department_id=x", "/api/v1/catalog/registration", rf.readKey, "", nil, 400, "invalid_number"},
			{"POST", "/api/v1/catalog/import?mapping=nope", "/api/v1/catalog/import", "", "资源名称\n某资源\n", append(csv, op...), 404, "mapping_not_found"},
			{"PUT", "/api/v1/records/entries/" + draftID + "/rule", "/api/v1/records/entries/{id}/rule", rf.opKey, `{"rule":"realtime"}`, nil, 409, "entry_not_published"},
			{"GET", "/api/v1/records/discrepancies", "", rf.readKey, "", nil, 403, "forbidden"},
			{"POST", "/api/v1/records/crosscheck", "", rf.opKey, "x", []string{"Content-Type", "text/plain"}, 400, "unsupported_media_type"},
			{"GET", "/api/v1/calendar/1800", "/api/v1/calendar/{year}", rf.opKey, "", nil, 404, "invalid_year"},
		} {
			r := rf.do(t, tt.method, tt.path, tt.key, tt.body, tt.hdr...)
			if r.status != tt.status || r.body["code"] != tt.code {
				t.Errorf("%s %s: got %d %v, want %d %s", tt.method, tt.path, r.status, r.body, tt.status, tt.code)
				continue
			}
			docPath := tt.docPath
			if docPath == "" {
				docPath = strings.SplitN(tt.path, "?", 2)[0]
			}
			resp := documentedResponse(t, doc, tt.method, docPath, tt.status)
			if resp == nil {
				t.Errorf("%s %s does not document %d (%s)", tt.method, docPath, tt.status, tt.code)
				continue
			}
			if desc, _ := resp["description"].(string); !strings.Contains(desc, tt.code) {
				t.Errorf("%s %s: %d does not name %s: %q", tt.method, docPath, tt.status, tt.code, desc)
			}
		}
	})
}
