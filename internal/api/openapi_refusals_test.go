package api_test

import (
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/hutong-gov/hutong/internal/api"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// refusalErrors checks a refusal r against the response the document gives
// its status on operation method docPath: the status documented, its code
// too where the response names codes (undocumentedAnswer), the
// answer's media type one of its content's, the body valid against that
// media type's schema and the documented headers sent. A problem document
// must also carry its HTTP status and a Chinese title and detail.
func refusalErrors(t *testing.T, doc map[string]any, method, docPath string, r response) []string {
	t.Helper()
	if msg := undocumentedAnswer(t, doc, method, docPath, r.status, textOf(r.body["code"])); msg != "" {
		return []string{msg}
	}
	resp := documentedResponse(t, doc, method, docPath, r.status)
	mt, _, _ := mime.ParseMediaType(r.header.Get("Content-Type"))
	media, _ := resp["content"].(map[string]any)[mt].(map[string]any)
	schema, _ := media["schema"].(map[string]any)
	if schema == nil {
		return []string{strconv.Itoa(r.status) + " documents no schema for " + mt}
	}
	out := schemaErrors(doc, schema, r.body, "")
	headers, _ := resp["headers"].(map[string]any)
	for h := range headers {
		if r.header.Get(h) == "" {
			out = append(out, "documented header "+h+" not sent")
		}
	}
	if mt == "application/problem+json" {
		if r.body["status"] != float64(r.status) {
			out = append(out, "status "+strconv.Itoa(r.status)+", but the body says "+jsonNumber(r.body["status"]))
		}
		for _, k := range []string{"title", "detail"} {
			if s, _ := r.body[k].(string); !strings.ContainsFunc(s, func(c rune) bool { return unicode.Is(unicode.Han, c) }) {
				out = append(out, k+" is not Chinese: "+s)
			}
		}
	}
	return out
}

// TestOpenAPIRefusalSchemas answers a representative set of refusals across
// the routes (every 4xx an operation documents with a body of its own kind,
// 503 with the audit log down) and checks each real body against the
// schema the document declares for that status on that operation, as
// TestOpenAPIResponseSchemas does for successes. The problem document's
// schema is closed: a refusal that gains a field, or a document whose
// error schema drifts from the answers, fails here.
func TestOpenAPIRefusalSchemas(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		doc := openAPIDoc(t)
		admin := rf.session(t, "mz.admin")
		csv := append([]string{"Content-Type", "text/csv"}, admin...)
		ndjson := []string{"Content-Type", "application/x-ndjson"}
		if r := rf.do(t, "POST", "/api/v1/catalog/import-mappings", "", `{"name":"民政","columns":{},"defaults":{"数据类型":"C","长度":"18"}}`, admin...); r.status != 200 {
			t.Fatalf("save mapping: %d %v", r.status, r.body)
		}
		a := "/api/v1/records/entries/" + itoa(rf.entryA)
		at := beijing(rf.clock.Now().Add(-time.Hour))
		p0 := recordstest.CitizenID(3000)
		type refusal struct {
			method, docPath, path, key, body string
			hdr                              []string
			status                           int
			code                             string
		}
		check := func(tt refusal) map[string]any {
			t.Helper()
			r := rf.do(t, tt.method, tt.path, tt.key, tt.body, tt.hdr...)
			if r.status != tt.status || (tt.code != "" && r.body["code"] != tt.code) {
				t.Errorf("%s %s: got %d %v, want %d %s", tt.method, tt.path, r.status, r.body, tt.status, tt.code)
				return r.body
			}
			docPath := tt.docPath
			if docPath == "" {
				docPath = strings.SplitN(tt.path, "?", 2)[0]
			}
			for _, e := range refusalErrors(t, doc, tt.method, docPath, r) {
				t.Errorf("%s %s (%d %s): %s", tt.method, tt.path, r.status, tt.code, e)
			}
			return r.body
		}
		notShared := strings.Replace(marriageEntry, `"share_type":"conditional"`, `"share_type":"none"`, 1)
		for _, tt := range []refusal{
			{"GET", "", "/api/v1/catalog/entries?bogus=1", rf.readKey, "", nil, 400, "unknown_parameter"},
			{"GET", "", "/api/v1/records/batches?limit=x", rf.gaKey, "", nil, 400, "invalid_number"},
			{"POST", "", "/api/v1/catalog/entries", "", notShared, admin, 400, "legal_basis_required"},
			{"POST", "/api/v1/records/entries/{id}/ops", a + "/ops", rf.gaKey, opLine("add", "123", at, map[string]string{"姓名": "张三"}), nil, 400, "invalid_citizen_id"},
			{"POST", "", "/api/v1/auth/login", "", `{"username":`, nil, 400, "malformed_json"},
			{"GET", "", "/api/v1/me", "", "", nil, 401, "unauthenticated"},
			{"GET", "", "/api/v1/catalog/entries", "htk_nope_nope", "", nil, 401, "invalid_api_key"},
			{"GET", "", "/api/v1/apps", rf.readKey, "", nil, 403, "forbidden"},
			{"POST", "", "/api/v1/catalog/entries", "", marriageEntry, admin[:2], 403, "csrf_failed"},
			{"GET", "/api/v1/catalog/entries/{id}", "/api/v1/catalog/entries/999999", rf.readKey, "", nil, 404, "entry_not_found"},
			{"GET", "/api/v1/calendar/{year}", "/api/v1/calendar/1800", rf.opKey, "", nil, 400, "invalid_year"},
			{"POST", "", "/api/v1/catalog/import?mapping=nope", "", "资源名称\n某资源\n", csv, 404, "mapping_not_found"},
			{"POST", "", "/api/v1/apps", rf.opKey, `{"name":"运维","department_id":` + itoa(rf.deptID) + `,"scopes":["catalog.read"]}`, nil, 409, "app_exists"},
			{"PUT", "/api/v1/departments/{id}", "/api/v1/departments/" + itoa(rf.mzID), rf.opKey, `{"name":"某局","uscc":"114406051154099990"}`, nil, 400, "invalid_uscc"},
			{"PUT", "/api/v1/departments/{id}", "/api/v1/departments/999999", rf.opKey, `{"name":"某局","uscc":"x"}`, nil, 404, "department_not_found"},
			{"PUT", "/api/v1/departments/{id}", "/api/v1/departments/" + itoa(rf.mzID), rf.opKey, `{"name":"佛山市公安局南海分局","uscc":"` + rf.departmentCode(t, rf.mzID) + `"}`, nil, 409, "department_exists"},
			{"POST", "", "/api/v1/catalog/entries", "", `{"name":"` + strings.Repeat("名", api.MaxEntryBody/3) + `"}`, admin, 413, "body_too_large"},
		} {
			check(tt)
		}

		// Bad rows: the import's 400 carries its report, a batch's 422
		// every rejected line.
		rep, _ := check(refusal{"POST", "", "/api/v1/catalog/import?mapping=民政", "", importCSV, csv, 400, "import_rejected"})["report"].(map[string]any)
		if errs, _ := rep["errors"].([]any); len(errs) == 0 {
			t.Errorf("import_rejected: no row errors in %v", rep)
		}
		batch := strings.Join([]string{opLine("add", p0, at, map[string]string{"姓名": "张三", "登记日期": "2026-03-01"}),
			opLine("change", recordstest.CitizenID(3001), at, nil)}, "\n")
		if lines, _ := check(refusal{"POST", "/api/v1/records/entries/{id}/batches", a + "/batches", rf.gaKey, batch, ndjson, 422, ""})["rejected"].([]any); len(lines) != 1 {
			t.Errorf("batch: rejected %v, want one line", lines)
		}

		// The audit log down: a change, a read of a subject's data and an
		// import answer 503 audit_unavailable with Retry-After.
		unblock := sqldbtest.BlockAudit(t, db)
		for _, tt := range []refusal{
			{"POST", "", "/api/v1/regions", rf.opKey, `{"code":"440607","name":"三水区","level":"district","parent_code":"440000"}`, nil, 503, "audit_unavailable"},
			{"PUT", "/api/v1/departments/{id}", "/api/v1/departments/" + itoa(rf.mzID), rf.opKey, `{"name":"南海区民政局（新）","uscc":"` + rf.departmentCode(t, rf.mzID) + `"}`, nil, 503, "audit_unavailable"},
			{"GET", "/api/v1/records/entries/{id}/subjects/{subject}", a + "/subjects/" + recordstest.CitizenID(1) + "?purpose=核验", rf.gaKey, "", nil, 503, "audit_unavailable"},
			{"POST", "", "/api/v1/catalog/import?mapping=民政&good_only=true", "", importCSV, csv, 503, "audit_unavailable"},
		} {
			check(tt)
		}
		unblock()

		// Five wrong passwords lock the username.
		for range 5 {
			rf.do(t, "POST", "/api/v1/auth/login", "", `{"username":"mz.reviewer","password":"wrong-password-1"}`)
		}
		check(refusal{"POST", "", "/api/v1/auth/login", "", `{"username":"mz.reviewer","password":"` + password + `"}`, nil, 429, "login_locked"})
	})
}

// TestOpenAPIProblemSchemas: every problem document the document declares
// is the Problem schema, or one that has Problem's fields as Problem
// declares them and adds its own (the import's report), so that the
// schemas cannot drift apart.
func TestOpenAPIProblemSchemas(t *testing.T) {
	doc := openAPIDoc(t)
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	problem := schemas["Problem"].(map[string]any)
	seen := map[string]bool{}
	for path, item := range doc["paths"].(map[string]any) {
		for method, op := range item.(map[string]any) {
			op, _ := op.(map[string]any)
			responses, _ := op["responses"].(map[string]any)
			for status := range responses {
				n, _ := strconv.Atoi(status)
				content, _ := documentedResponse(t, doc, method, path, n)["content"].(map[string]any)
				for mt, media := range content {
					if mt != "application/problem+json" {
						continue
					}
					ref, _ := media.(map[string]any)["schema"].(map[string]any)["$ref"].(string)
					name, _ := strings.CutPrefix(ref, "#/components/schemas/")
					if name == "" || schemas[name] == nil {
						t.Errorf("%s %s %s: a problem document that is no component schema: %v", method, path, status, media)
					} else {
						seen[name] = true
					}
				}
			}
		}
	}
	for name := range seen {
		s := schemas[name].(map[string]any)
		if s["additionalProperties"] != false || !reflect.DeepEqual(s["required"], problem["required"]) {
			t.Errorf("%s: required %v, additionalProperties %v; want Problem's %v, false", name, s["required"], s["additionalProperties"], problem["required"])
		}
		props := s["properties"].(map[string]any)
		for k, want := range problem["properties"].(map[string]any) {
			if got, _ := props[k].(map[string]any); got["type"] != want.(map[string]any)["type"] {
				t.Errorf("%s.%s: %v, want Problem's %v", name, k, got, want)
			}
		}
	}
}

// TestRefusalErrors: refusalErrors finds a field the problem document does
// not declare, an undocumented status, a header the document promises and
// the answer lacks, a body whose status is not the answer's and an English
// detail.
func TestRefusalErrors(t *testing.T) {
	doc := openAPIDoc(t)
	problem := func() response {
		return response{status: 503, header: http.Header{"Content-Type": {"application/problem+json"}, "Retry-After": {"5"}},
			body: map[string]any{"type": "about:blank", "title": "服务暂不可用", "status": 503.0, "code": "audit_unavailable", "detail": "审计日志暂时无法写入"}}
	}
	if errs := refusalErrors(t, doc, "POST", "/api/v1/regions", problem()); len(errs) != 0 {
		t.Fatalf("a valid refusal: %v", errs)
	}
	for name, edit := range map[string]func(r *response){
		"undeclared field":    func(r *response) { r.body["details"] = []any{} },
		"undocumented status": func(r *response) { r.status, r.body["status"] = 418, 418.0 },
		"no Retry-After":      func(r *response) { r.header.Del("Retry-After") },
		"status of the body":  func(r *response) { r.body["status"] = 500.0 },
		"English detail":      func(r *response) { r.body["detail"] = "audit log unavailable" },
	} {
		r := problem()
		edit(&r)
		if errs := refusalErrors(t, doc, "POST", "/api/v1/regions", r); len(errs) != 1 {
			t.Errorf("%s: %v, want one error", name, errs)
		}
	}
}
