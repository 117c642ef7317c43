package api_test

import (
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/api"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
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

// docOperation is the operation the document gives method at docPath,
// nil when it has no such path or method: a test walking every route
// then reports each one the document leaves out, where a type assertion
// on the missing path item would panic and end the test binary.
func docOperation(doc map[string]any, method, docPath string) map[string]any {
	paths, _ := doc["paths"].(map[string]any)
	item, _ := paths[docPath].(map[string]any)
	op, _ := item[strings.ToLower(method)].(map[string]any)
	return op
}

// documentedResponse is the response the document gives operation
// method docPath for status, a shared response ($ref) resolved; nil when
// it gives none.
func documentedResponse(t *testing.T, doc map[string]any, method, docPath string, status int) map[string]any {
	t.Helper()
	op := docOperation(doc, method, docPath)
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

// codeForm is the form of an error code of more than one word, or of
// forbidden at the start of a description ("forbidden: …", "forbidden
// (scope …)"); a response whose description holds one names the codes it
// answers. forbidden elsewhere is a word of the prose as often as a code.
var codeForm = regexp.MustCompile(`[a-z][a-z0-9]*(?:_[a-z0-9]+)+|^forbidden(?:[^a-z0-9_]|$)`)

// undocumentedAnswer says what the document leaves out of an answer of
// operation method docPath, of status and code (a refusal's: a success's
// code, an entry's, is not one): the status, or the code where the
// status's response names codes and not that one (as a word: not_found is
// not named by entry_not_found); "" when it documents both.
func undocumentedAnswer(t *testing.T, doc map[string]any, method, docPath string, status int, code string) string {
	t.Helper()
	if docOperation(doc, method, docPath) == nil {
		return fmt.Sprintf("%s %s is not in the OpenAPI document", method, docPath)
	}
	resp := documentedResponse(t, doc, method, docPath, status)
	if resp == nil {
		return fmt.Sprintf("%s %s does not document %d (%s)", method, docPath, status, code)
	}
	desc, _ := resp["description"].(string)
	if status >= 400 && code != "" && codeForm.MatchString(desc) &&
		!regexp.MustCompile(`(?:^|[^a-z0-9_])`+regexp.QuoteMeta(code)+`(?:[^a-z0-9_]|$)`).MatchString(desc) {
		return fmt.Sprintf("%s %s: its %d names codes, not %s: %q", method, docPath, status, code, desc)
	}
	return ""
}

// routeDocPath is the path in the document of the route that serves
// method and path (a request's, query and all).
func routeDocPath() func(method, path string) string {
	a := &api.API{}
	a.Register(http.NewServeMux())
	docPaths := map[string]string{}
	routes := http.NewServeMux()
	for _, rt := range a.Routes() {
		docPaths[rt.Method+" "+rt.Path] = rt.DocPath()
		routes.Handle(rt.Method+" "+rt.Path, http.NotFoundHandler())
	}
	return func(method, path string) string {
		_, pattern := routes.Handler(httptest.NewRequest(method, path, nil))
		return docPaths[pattern]
	}
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
		mzCode := rf.departmentCode(t, rf.mzID)
		ops, batches := "/api/v1/records/entries/"+itoa(rf.entryA)+"/ops", "/api/v1/records/entries/"+itoa(rf.entryA)+"/batches"
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
			{"POST", "/api/v1/me/password", "", "", `{"current_password":"x","password":"` + password + strings.Repeat("x", 129) + `"}`, op, 400, "too_long"},
			{"POST", "/api/v1/catalog/entries/999999/reject", "/api/v1/catalog/entries/{id}/reject", "", `{"reason":"不全"}`, op, 404, "entry_not_found"},
			{"POST", "/api/v1/catalog/entries/999999/retire", "/api/v1/catalog/entries/{id}/retire", "", "", op, 404, "entry_not_found"},
			{"POST", "/api/v1/catalog/entries/" + draftID + "/submit", "/api/v1/catalog/entries/{id}/submit", "", "x", append([]string{"Content-Type", "text/plain"}, op...), 400, "unsupported_media_type"},
			{"GET", "/api/v1/catalog/entries/" + itoa(rf.entryA) + "/diff?from=x", "/api/v1/catalog/entries/{id}/diff", rf.readKey, "", nil, 400, "invalid_number"},
			{"PUT", "/api/v1/catalog/security-levels/abc", "/api/v1/catalog/security-levels/{level}", "", `{"name":"一级","description":"公开"}`, op, 404, "not_found"},
			{"GET", "/api/v1/catalog/registration?department_id=x", "/api/v1/catalog/registration", rf.readKey, "", nil, 400, "invalid_number"},
			{"POST", "/api/v1/catalog/import?mapping=nope", "/api/v1/catalog/import", "", "资源名称\n某资源\n", append(csv, op...), 404, "mapping_not_found"},
			{"PUT", "/api/v1/records/entries/" + draftID + "/rule", "/api/v1/records/entries/{id}/rule", rf.opKey, `{"rule":"realtime"}`, nil, 409, "entry_not_published"},
			{"GET", "/api/v1/records/discrepancies?purpose=x", "/api/v1/records/discrepancies", rf.readKey, "", nil, 403, "forbidden"},
			{"POST", "/api/v1/records/crosscheck", "", rf.opKey, "x", []string{"Content-Type", "text/plain"}, 400, "unsupported_media_type"},
			{"GET", "/api/v1/calendar/1800", "/api/v1/calendar/{year}", rf.opKey, "", nil, 400, "invalid_year"},
			{"PUT", "/api/v1/departments/999999", "/api/v1/departments/{id}", rf.opKey, `{"name":"某局","uscc":"x"}`, nil, 404, "department_not_found"},
			{"PUT", "/api/v1/departments/" + itoa(rf.mzID), "/api/v1/departments/{id}", rf.opKey, `{"name":"某局","uscc":"114406051154099990"}`, nil, 400, "invalid_uscc"},
			{"PUT", "/api/v1/departments/" + itoa(rf.mzID), "/api/v1/departments/{id}", rf.opKey, `{"name":"佛山市公安局南海分局","uscc":"` + mzCode + `"}`, nil, 409, "department_exists"},
			{"PUT", "/api/v1/departments/" + itoa(rf.mzID), "/api/v1/departments/{id}", rf.gaKey, `{"name":"某局","uscc":"` + mzCode + `"}`, nil, 403, "forbidden"},
			{"POST", ops, "/api/v1/records/entries/{id}/ops", rf.gaKey, "", nil, 400, "empty_body"},
			{"POST", ops, "/api/v1/records/entries/{id}/ops", rf.gaKey, "<op/>", []string{"Content-Type", "application/xml"}, 400, "unsupported_media_type"},
			{"POST", ops, "/api/v1/records/entries/{id}/ops", rf.gaKey, `{"op":`, nil, 400, "malformed_json"},
			{"POST", batches, "/api/v1/records/entries/{id}/batches", rf.gaKey, "\n\n", []string{"Content-Type", "application/x-ndjson"}, 400, "empty_batch"},
			// The public operations need no key, but check one sent.
			{"GET", "/api/v1/public/catalog", "", "htk_nope_nope", "", nil, 401, "invalid_api_key"},
			{"GET", "/api/v1/public/catalog/101001%2F000001", "/api/v1/public/catalog/{code}", "htk_nope_nope", "", nil, 401, "invalid_api_key"},
			{"GET", "/api/v1/openapi.json", "", "htk_nope_nope", "", nil, 401, "invalid_api_key"},
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

// schemaErrors checks v, a decoded JSON value, against schema, in the
// subset of JSON Schema the document uses: $ref to a component schema,
// allOf, type, nullable, enum, properties, required, additionalProperties
// (false, or the schema of every other property) and items. Other
// keywords (format, description, minimum …) are not checked. at names v.
func schemaErrors(doc, schema map[string]any, v any, at string) []string {
	if ref, ok := schema["$ref"].(string); ok {
		name, found := strings.CutPrefix(ref, "#/components/schemas/")
		target, _ := doc["components"].(map[string]any)["schemas"].(map[string]any)[name].(map[string]any)
		if !found || target == nil {
			return []string{at + ": unknown $ref " + ref}
		}
		return schemaErrors(doc, target, v, at)
	}
	var out []string
	for _, sub := range asList(schema["allOf"]) {
		out = append(out, schemaErrors(doc, sub.(map[string]any), v, at)...)
	}
	if v == nil {
		if schema["nullable"] != true && schema["type"] != nil {
			out = append(out, at+": null, not nullable")
		}
		return out
	}
	if enum := asList(schema["enum"]); enum != nil && !slices.Contains(enum, v) {
		out = append(out, fmt.Sprintf("%s: %v is not one of %v", at, v, enum))
	}
	switch typ, _ := schema["type"].(string); typ {
	case "object":
		obj, ok := v.(map[string]any)
		if !ok {
			return append(out, fmt.Sprintf("%s: %T, want an object", at, v))
		}
		props, _ := schema["properties"].(map[string]any)
		for _, k := range asList(schema["required"]) {
			if _, ok := obj[k.(string)]; !ok {
				out = append(out, at+": required "+k.(string)+" missing")
			}
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if p, ok := props[k].(map[string]any); ok {
				out = append(out, schemaErrors(doc, p, obj[k], at+"."+k)...)
				continue
			}
			switch extra := schema["additionalProperties"].(type) {
			case bool:
				if !extra {
					out = append(out, at+": "+k+" is not in the schema")
				}
			case map[string]any:
				out = append(out, schemaErrors(doc, extra, obj[k], at+"."+k)...)
			}
		}
	case "array":
		arr, ok := v.([]any)
		if !ok {
			return append(out, fmt.Sprintf("%s: %T, want an array", at, v))
		}
		if items, ok := schema["items"].(map[string]any); ok {
			for i, e := range arr {
				out = append(out, schemaErrors(doc, items, e, fmt.Sprintf("%s[%d]", at, i))...)
			}
		}
	case "string":
		if _, ok := v.(string); !ok {
			out = append(out, fmt.Sprintf("%s: %v, want a string", at, v))
		}
	case "integer":
		if n, ok := v.(float64); !ok || n != math.Trunc(n) {
			out = append(out, fmt.Sprintf("%s: %v, want an integer", at, v))
		}
	case "number":
		if _, ok := v.(float64); !ok {
			out = append(out, fmt.Sprintf("%s: %v, want a number", at, v))
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			out = append(out, fmt.Sprintf("%s: %v, want a boolean", at, v))
		}
	}
	return out
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// TestSchemaErrors: the validator of TestOpenAPIResponseSchemas finds a
// field the schema does not declare, a missing one, a wrong type, a null
// where none is allowed and a value out of its enum.
func TestSchemaErrors(t *testing.T) {
	doc := openAPIDoc(t)
	user := map[string]any{"id": 1.0, "username": "u", "display_name": "用户", "department_id": 2.0, "role": "reviewer",
		"disabled": false, "created_at": "2026-03-02T09:00:00Z", "password_change_required": false}
	if errs := schemaErrors(doc, map[string]any{"$ref": "#/components/schemas/User"}, user, "user"); len(errs) != 0 {
		t.Fatalf("a valid user: %v", errs)
	}
	for name, edit := range map[string]func(map[string]any){
		"undeclared field": func(u map[string]any) { u["email"] = "u@example.com" },
		"missing field":    func(u map[string]any) { delete(u, "username") },
		"wrong type":       func(u map[string]any) { u["id"] = "1" },
		"fraction":         func(u map[string]any) { u["id"] = 1.5 },
		"null":             func(u map[string]any) { u["role"] = nil },
		"out of enum":      func(u map[string]any) { u["role"] = "root" },
	} {
		u := map[string]any{}
		for k, v := range user {
			u[k] = v
		}
		edit(u)
		if errs := schemaErrors(doc, map[string]any{"$ref": "#/components/schemas/User"}, u, "user"); len(errs) != 1 {
			t.Errorf("%s: %v, want one error", name, errs)
		}
	}
}

// TestOpenAPIResponseSchemas calls a representative set of routes and
// checks each JSON answer against the schema the document gives its
// status, so that a field added, renamed or retyped without the document
// fails here. The schemas of the answers checked are closed
// (additionalProperties: false) where the document declares it.
func TestOpenAPIResponseSchemas(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		doc := openAPIDoc(t)
		check := func(method, docPath, path, key, body string, hdr ...string) map[string]any {
			t.Helper()
			r := rf.do(t, method, path, key, body, hdr...)
			resp := documentedResponse(t, doc, method, docPath, r.status)
			content, _ := resp["content"].(map[string]any)
			media, _ := content["application/json"].(map[string]any)
			schema, _ := media["schema"].(map[string]any)
			switch {
			case r.status >= 300:
				t.Errorf("%s %s: %d %v", method, path, r.status, r.body)
			case resp == nil:
				t.Errorf("%s %s: status %d is not documented", method, docPath, r.status)
			case schema == nil:
				t.Errorf("%s %s: %d has no JSON schema", method, docPath, r.status)
			default:
				for _, e := range schemaErrors(doc, schema, r.body, "") {
					t.Errorf("%s %s (%d): %s", method, path, r.status, e)
				}
			}
			return r.body
		}
		id := func(v any) string { return jsonNumber(v) }

		// Accounts, organisations, apps.
		session := rf.session(t, "nh.op")
		check("POST", "/api/v1/auth/login", "/api/v1/auth/login", "", `{"username":"mz.admin","password":"`+password+`"}`)
		me := check("GET", "/api/v1/me", "/api/v1/me", "", "", session...)
		check("GET", "/api/v1/me", "/api/v1/me", rf.gaKey, "")
		check("POST", "/api/v1/regions", "/api/v1/regions", rf.opKey, `{"code":"440606","name":"顺德区","level":"district","parent_code":"440000"}`)
		check("GET", "/api/v1/regions", "/api/v1/regions?limit=1", rf.opKey, "")
		check("GET", "/api/v1/departments", "/api/v1/departments?limit=1", rf.opKey, "")
		check("GET", "/api/v1/departments/{id}", "/api/v1/departments/"+itoa(rf.deptID), rf.opKey, "")
		check("PUT", "/api/v1/departments/{id}", "/api/v1/departments/"+itoa(rf.mzID), rf.opKey,
			`{"name":"佛山市南海区民政局","uscc":"`+rf.departmentCode(t, rf.mzID)+`"}`)
		check("GET", "/api/v1/users", "/api/v1/users?limit=1", rf.opKey, "")
		check("GET", "/api/v1/users/{id}", "/api/v1/users/"+id(me["user"].(map[string]any)["id"]), rf.opKey, "")
		newApp := `{"name":"核验系统","scopes":["data.read"],"description":"窗口核验"}`
		app := check("POST", "/api/v1/apps", "/api/v1/apps", rf.opKey, newApp, "Idempotency-Key", "app-1")
		check("POST", "/api/v1/apps", "/api/v1/apps", rf.opKey, newApp, "Idempotency-Key", "app-1")
		appPath := "/api/v1/apps/" + id(app["app"].(map[string]any)["id"])
		check("POST", "/api/v1/apps/{id}/rotate", appPath+"/rotate", rf.opKey, `{"grace_hours":1}`)
		check("GET", "/api/v1/apps/{id}", appPath, rf.opKey, "")
		check("GET", "/api/v1/apps", "/api/v1/apps?limit=1", rf.opKey, "")
		check("GET", "/api/v1/ident/{value}", "/api/v1/ident/"+recordstest.CitizenID(1), rf.gaKey, "")
		check("GET", "/api/v1/ident/{value}", "/api/v1/ident/440605198501011234", rf.gaKey, "")
		check("GET", "/api/v1/calendar/{year}", "/api/v1/calendar/2026", rf.gaKey, "")
		check("GET", "/api/v1/calendar/deadline", "/api/v1/calendar/deadline?days=5&from=2026-03-02", rf.gaKey, "")

		// Records: pushes, reads, the feed, a cross-check difference.
		ndjson := []string{"Content-Type", "application/x-ndjson"}
		a := "/api/v1/records/entries/" + itoa(rf.entryA)
		b := "/api/v1/records/entries/" + itoa(rf.entryB)
		p0, p1 := recordstest.CitizenID(2000), recordstest.CitizenID(2001)
		at := func(d time.Duration) string { return beijing(rf.clock.Now().Add(d)) }
		check("POST", "/api/v1/records/entries/{id}/ops", a+"/ops", rf.gaKey,
			opLine("add", p0, at(-3*time.Hour), map[string]string{"姓名": "张三", "居住地址": "桂城街道南海大道1号", "登记日期": "2026-03-01"}))
		batch := check("POST", "/api/v1/records/entries/{id}/batches", a+"/batches", rf.gaKey, strings.Join([]string{
			opLine("change", p0, at(-2*time.Hour), map[string]string{"居住地址": "大沥镇广佛路8号"}),
			opLine("add", p1, at(-2*time.Hour), map[string]string{"姓名": "李四", "登记日期": "2026-03-01"}),
			opLine("cancel", p1, at(-time.Hour), nil)}, "\n"), ndjson...)
		check("POST", "/api/v1/records/entries/{id}/ops", b+"/ops", rf.mzKey,
			opLine("add", p0, at(-time.Hour), map[string]string{"姓名": "张叁", "家庭人口数": "3"}))
		check("GET", "/api/v1/records/entries/{id}/subjects/{subject}", a+"/subjects/"+p0+"?purpose=核验", rf.gaKey, "")
		check("GET", "/api/v1/records/entries/{id}/subjects/{subject}", b+"/subjects/"+p0+"?purpose=核验", rf.mzKey, "")
		check("GET", "/api/v1/records/entries/{id}/subjects/{subject}", a+"/subjects/"+p1+"?purpose=核验", rf.gaKey, "")
		check("GET", "/api/v1/records/entries/{id}/subjects/{subject}/history", a+"/subjects/"+p0+"/history?limit=1&purpose=核验", rf.gaKey, "")
		check("GET", "/api/v1/records/entries/{id}/subjects/{subject}/history", a+"/subjects/"+p1+"/history?purpose=核验", rf.gaKey, "")
		check("GET", "/api/v1/records/entries/{id}/changes", a+"/changes?limit=1&purpose=核验", rf.gaKey, "")
		check("GET", "/api/v1/records/entries/{id}/changes", a+"/changes?after=1000000&purpose=核验", rf.gaKey, "")
		check("GET", "/api/v1/records/batches", "/api/v1/records/batches?limit=1", rf.gaKey, "")
		check("GET", "/api/v1/records/batches/{id}", "/api/v1/records/batches/"+id(batch["batch_id"]), rf.gaKey, "")
		ds := check("GET", "/api/v1/records/discrepancies", "/api/v1/records/discrepancies?purpose=核验", rf.mzKey, "")
		check("GET", "/api/v1/records/discrepancies", "/api/v1/records/discrepancies?status=resolved&purpose=核验", rf.mzKey, "")
		if list, _ := ds["discrepancies"].([]any); len(list) == 1 {
			disc := "/api/v1/records/discrepancies/" + id(list[0].(map[string]any)["id"])
			check("POST", "/api/v1/records/discrepancies/{id}/feedback", disc+"/feedback", rf.gaKey, `{"feedback":"经核实，本局登记无误"}`)
			check("POST", "/api/v1/records/discrepancies/{id}/resolve", disc+"/resolve", rf.gaKey, `{"note":"以户籍登记为准"}`)
		} else {
			t.Errorf("discrepancies: %v, want one", ds)
		}
		check("POST", "/api/v1/records/crosscheck", "/api/v1/records/crosscheck", rf.opKey, "")
		check("GET", "/api/v1/records/quality", "/api/v1/records/quality?limit=1", rf.opKey, "")
		check("GET", "/api/v1/records/quality", "/api/v1/records/quality?by=department", rf.opKey, "")
		rf.clock.Add(90 * 24 * time.Hour)
		check("GET", "/api/v1/records/stale", "/api/v1/records/stale?limit=1", rf.opKey, "")
		check("GET", "/api/v1/records/entries/{id}/rule", a+"/rule", rf.opKey, "")
		check("PUT", "/api/v1/records/entries/{id}/rule", a+"/rule", rf.opKey, `{"rule":"realtime","note":"实时共享"}`)

		// The audit log.
		check("GET", "/api/v1/audit", "/api/v1/audit?limit=2", rf.opKey, "")
		check("GET", "/api/v1/audit/verify", "/api/v1/audit/verify", rf.opKey, "")

		// The catalog: an entry published once its one-source conflict is
		// decided, revised and the revision rejected (two versions to
		// compare), then retired; the registration; the public catalog.
		op, admin := rf.session(t, "nh.op"), rf.session(t, "mz.admin") // signed in after the clock moved
		entry := "/api/v1/catalog/entries/{id}"
		check("GET", entry, "/api/v1/catalog/entries/"+itoa(rf.entryA), rf.readKey, "")
		check("GET", "/api/v1/catalog/entries", "/api/v1/catalog/entries?limit=1", rf.readKey, "")
		check("GET", "/api/v1/catalog/entries", "/api/v1/catalog/entries?status=draft,submitted&facets=false", "", "", admin...)
		created := check("POST", "/api/v1/catalog/entries", "/api/v1/catalog/entries", "", marriageEntry, admin...)
		ent := "/api/v1/catalog/entries/" + id(created["id"])
		check("POST", entry+"/submit", ent+"/submit", "", "", admin...)
		// Its 登记日期 is entry A's too: a one-source conflict to decide.
		conflicts, _ := check("GET", entry+"/conflicts", ent+"/conflicts", "", "", op...)["items"].([]any)
		if len(conflicts) == 0 {
			t.Errorf("%s: no conflict", ent)
		}
		for _, c := range conflicts {
			c := c.(map[string]any)
			check("POST", entry+"/conflicts/{conflict}/decision", ent+"/conflicts/"+id(c["id"])+"/decision", "",
				`{"authoritative_entry_id":`+itoa(rf.entryA)+`}`, op...)
		}
		check("POST", entry+"/approve", ent+"/approve", "", "", op...)
		check("PUT", entry, ent, "", strings.Replace(marriageEntry, `"update_frequency":"realtime"`, `"update_frequency":"daily"`, 1), admin...)
		check("POST", entry+"/submit", ent+"/submit", "", "", admin...)
		check("POST", entry+"/reject", ent+"/reject", "", `{"reason":"更新周期与业务不符"}`, op...)
		check("GET", entry, ent, "", "", admin...)
		check("GET", entry+"/versions", ent+"/versions", "", "", admin...)
		check("GET", entry+"/versions/{version}", ent+"/versions/2", "", "", admin...)
		check("GET", entry+"/diff", ent+"/diff?from=1&to=2", "", "", admin...)
		// The department's retirement is a request: rejected, asked again
		// and withdrawn, asked again and approved.
		check("POST", entry+"/retire", ent+"/retire", "", `{"reason":"停止采集"}`, admin...)
		check("GET", "/api/v1/catalog/retire-requests", "/api/v1/catalog/retire-requests", "", "", op...)
		check("POST", entry+"/retire/reject", ent+"/retire/reject", "", `{"reason":"仍有部门在用"}`, op...)
		check("GET", entry, ent, "", "", admin...)
		check("POST", entry+"/retire", ent+"/retire", "", `{"reason":"停止采集"}`, admin...)
		check("POST", entry+"/retire/withdraw", ent+"/retire/withdraw", "", "", admin...)
		check("POST", entry+"/retire", ent+"/retire", "", `{"reason":"停止采集"}`, admin...)
		check("POST", entry+"/retire/approve", ent+"/retire/approve", "", "", op...)
		check("GET", "/api/v1/catalog/vocabulary", "/api/v1/catalog/vocabulary", rf.readKey, "")
		check("GET", "/api/v1/catalog/security-levels", "/api/v1/catalog/security-levels", rf.readKey, "")
		check("PUT", "/api/v1/catalog/security-levels/{level}", "/api/v1/catalog/security-levels/3", "",
			`{"name":"3级","description":"泄露后对个人合法权益造成一般损害"}`, op...)
		check("GET", "/api/v1/catalog/registration", "/api/v1/catalog/registration", rf.readKey, "")
		check("POST", "/api/v1/catalog/registration", "/api/v1/catalog/registration", "", `{"format":"`+catalog.RegistrationFormat+
			`","entries":[{"code":"303001/000099","provider":{"name":"南海区民政局","uscc":"11440605MB2C9235XX","region_code":"440605"},`+
			`"resource":`+strings.Replace(marriageEntry, "婚姻登记信息", "收养登记信息", 1)+`}]}`, op...)
		public := check("GET", "/api/v1/public/catalog", "/api/v1/public/catalog?limit=1", "", "")
		if items, _ := public["items"].([]any); len(items) == 1 {
			check("GET", "/api/v1/public/catalog/{code}", "/api/v1/public/catalog/"+items[0].(map[string]any)["code"].(string), "", "")
		} else {
			t.Errorf("public catalog: %v, want one entry", public)
		}

		// Catalog imports: a mapping saved and listed, a dry run, an
		// import that leaves out a row with an error.
		csv := append([]string{"Content-Type", "text/csv"}, admin...)
		rows := strings.Replace(importCSV, "婚姻登记信息", "结婚登记信息", 1)
		check("POST", "/api/v1/catalog/import-mappings", "/api/v1/catalog/import-mappings", "",
			`{"name":"民政","columns":{},"defaults":{"数据类型":"C","长度":"18"}}`, admin...)
		check("GET", "/api/v1/catalog/import-mappings", "/api/v1/catalog/import-mappings", "", "", admin...)
		check("POST", "/api/v1/catalog/import", "/api/v1/catalog/import?mapping=民政&good_only=true&dry_run=true", "", rows, csv...)
		check("POST", "/api/v1/catalog/import", "/api/v1/catalog/import?mapping=民政&good_only=true", "", rows, csv...)
	})
}
