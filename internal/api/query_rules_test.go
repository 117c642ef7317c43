package api_test

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/api"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestNoRouteWithQuery: a path that is no route answers 404
// route_not_found, and a method its path does not take 405 with Allow,
// with a query string as without one: the query of a request no route
// takes is not checked against a route's parameters (400
// unknown_parameter would send the caller after a parameter while the
// path or the method is wrong).
func TestNoRouteWithQuery(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		subject := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryA, 10) + "/subjects/" + recordstest.CitizenID(3000)
		for _, c := range []struct {
			method, path string
			status       int
			code, allow  string
		}{
			{"GET", "/api/v1/records/entry/1/changes", 404, "route_not_found", ""},
			{"GET", subject + "/", 404, "route_not_found", ""},
			{"GET", "/api/v1/nope", 404, "route_not_found", ""},
			{"POST", subject, 405, "method_not_allowed", "GET, HEAD"},
		} {
			for _, query := range []string{"", "?purpose=x", "?x=1&x=2"} {
				r := rf.do(t, c.method, c.path+query, rf.gaKey, "")
				if r.status != c.status || r.body["code"] != c.code || r.header.Get("Allow") != c.allow {
					t.Errorf("%s %s%s: got %d %v Allow %q, want %d %s Allow %q", c.method, c.path, query,
						r.status, r.body["code"], r.header.Get("Allow"), c.status, c.code, c.allow)
				}
			}
		}
	})
}

// TestRepeatedParameterRefused: a query parameter given more than once is
// refused (400 repeated_parameter, field naming it, said in Chinese) rather
// than read as its first value, by every route that takes it, and the
// refusal serves and records nothing; the audit log's action and outcome,
// which are read as lists, stay repeatable.
func TestRepeatedParameterRefused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		a := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryA, 10)
		before := rf.countWhere(t, `SELECT count(*) FROM audit_log`)
		for _, c := range []struct{ path, key, field string }{
			{a + "/subjects/" + recordstest.CitizenID(3000) + "?purpose=first&purpose=second", rf.gaKey, "purpose"},
			{a + "/changes?purpose=x&limit=1&limit=5000&after=1&after=abc", rf.gaKey, "after"},
			{"/api/v1/audit?limit=2&limit=-5", rf.opKey, "limit"},
			{"/api/v1/audit?department=1&department=2&action=records.read&action=records.feed", rf.opKey, "department"},
		} {
			r := rf.do(t, "GET", c.path, c.key, "")
			if detail, _ := r.body["detail"].(string); r.status != 400 || r.body["code"] != "repeated_parameter" || r.body["field"] != c.field ||
				detail != "参数 "+c.field+" 只能给出一次" {
				t.Errorf("%s: got %d %v, want 400 repeated_parameter on %s", c.path, r.status, r.body, c.field)
			}
		}
		if after := rf.countWhere(t, `SELECT count(*) FROM audit_log`); after != before {
			t.Errorf("refused reads wrote %d audit rows", after-before)
		}
		for _, q := range []string{"action=records.read&action=records.feed", "outcome=ok&outcome=denied"} {
			if r := rf.do(t, "GET", "/api/v1/audit?"+q, rf.opKey, ""); r.status != 200 {
				t.Errorf("audit ?%s: got %d %v, want 200", q, r.status, r.body)
			}
		}

		// Every route that takes a parameter refuses it twice, with a status
		// its OpenAPI operation documents.
		calls := failClosedCalls(t, rf, db)
		doc := openAPIDoc(t)
		reg := &api.API{}
		reg.Register(http.NewServeMux())
		routes := map[string]api.Route{}
		for _, rt := range reg.Routes() {
			routes[rt.Method+" "+rt.Path] = rt
		}
		before = rf.countWhere(t, `SELECT count(*) FROM audit_log`)
		for _, c := range calls {
			rt := routes[c.route]
			i := slices.IndexFunc(rt.Query, func(name string) bool { return !slices.Contains(rt.Repeatable, name) })
			if i < 0 {
				continue
			}
			name := rt.Query[i]
			sep := "?"
			if strings.Contains(c.path, "?") {
				sep = "&"
			}
			path := c.path + sep + name + "=1&" + name + "=1"
			r := rf.do(t, c.method, path, c.key, c.body, c.hdr...)
			if r.status != 400 || r.body["code"] != "repeated_parameter" || r.body["field"] != name {
				t.Errorf("%s %s: got %d %v, want 400 repeated_parameter on %s", c.method, path, r.status, r.body, name)
			}
			if documentedResponse(t, doc, c.method, rt.DocPath(), r.status) == nil {
				t.Errorf("%s %s answers %d, which its OpenAPI operation does not document", c.method, rt.DocPath(), r.status)
			}
		}
		if after := rf.countWhere(t, `SELECT count(*) FROM audit_log`); after != before {
			t.Errorf("refused calls wrote %d audit rows", after-before)
		}
	})
}

// TestRepeatableParametersDocumented: the parameters a route takes more
// than once (Route.Repeatable) are those of its query parameters that its
// OpenAPI operation documents as a list (type array), and each is one it
// takes.
func TestRepeatableParametersDocumented(t *testing.T) {
	doc := openAPIDoc(t)
	a := &api.API{}
	a.Register(http.NewServeMux())
	for _, rt := range a.Routes() {
		for _, name := range rt.Repeatable {
			if !slices.Contains(rt.Query, name) {
				t.Errorf("%s %s: repeatable %s is not among its parameters %v", rt.Method, rt.Path, name, rt.Query)
			}
		}
		op := docOperation(doc, rt.Method, rt.DocPath())
		var lists []string
		params, _ := op["parameters"].([]any)
		for _, p := range params {
			p := p.(map[string]any)
			if ref, ok := p["$ref"].(string); ok {
				p = doc["components"].(map[string]any)["parameters"].(map[string]any)[strings.TrimPrefix(ref, "#/components/parameters/")].(map[string]any)
			}
			if schema, _ := p["schema"].(map[string]any); p["in"] == "query" && schema["type"] == "array" {
				lists = append(lists, p["name"].(string))
			}
		}
		got := slices.Sorted(slices.Values(append([]string{}, rt.Repeatable...)))
		if slices.Sort(lists); !slices.Equal(got, lists) {
			t.Errorf("%s %s: repeatable %v, OpenAPI lists %v as arrays", rt.Method, rt.Path, got, lists)
		}
	}
}

// TestAuditDepartmentTooLong: the audit log's department filter is text
// as its other text filters are: more than 100 characters is refused as
// too long (query_too_long), not looked up and reported as no department,
// and so is text with control characters (invalid_characters).
func TestAuditDepartmentTooLong(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		for _, c := range []struct{ value, code string }{
			{strings.Repeat("局", 101), "query_too_long"},
			{strings.Repeat("a", 101), "query_too_long"},
			{"南海区%01民政局", "invalid_characters"},
		} {
			r := f.do(t, "GET", "/api/v1/audit?department="+c.value, f.opKey, "")
			if detail, _ := r.body["detail"].(string); r.status != 400 || r.body["code"] != c.code || r.body["field"] != "department" || !hasHan(detail) {
				t.Errorf("department=%.20s…: got %d %v, want 400 %s on department", c.value, r.status, r.body, c.code)
			}
		}
		// 100 characters is a search, of no department.
		r := f.do(t, "GET", "/api/v1/audit?department="+strings.Repeat("局", 100), f.opKey, "")
		if r.status != 404 || r.body["code"] != "department_not_found" {
			t.Errorf("department of 100 characters: got %d %v, want 404 department_not_found", r.status, r.body)
		}
		if r := f.do(t, "GET", "/api/v1/audit?department=%20"+"%E5%8D%97%E6%B5%B7%E5%8C%BA%E6%B0%91%E6%94%BF%E5%B1%80%20", f.opKey, ""); r.status != 200 {
			t.Errorf("department 南海区民政局 with spaces: got %d %v, want 200", r.status, r.body)
		}
	})
}
