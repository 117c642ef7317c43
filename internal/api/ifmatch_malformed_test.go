package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/api"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// ifMatchOperations are the operations ("METHOD docPath") whose OpenAPI
// parameters list If-Match.
func ifMatchOperations(t *testing.T) []string {
	t.Helper()
	doc := openAPIDoc(t)
	var ops []string
	for path, item := range doc["paths"].(map[string]any) {
		for method, op := range item.(map[string]any) {
			op, _ := op.(map[string]any)
			params, _ := op["parameters"].([]any)
			for _, p := range params {
				p := p.(map[string]any)
				if ref, ok := p["$ref"].(string); ok {
					p = doc["components"].(map[string]any)["parameters"].(map[string]any)[strings.TrimPrefix(ref, "#/components/parameters/")].(map[string]any)
				}
				if p["in"] == "header" && p["name"] == "If-Match" {
					ops = append(ops, strings.ToUpper(method)+" "+path)
				}
			}
		}
	}
	slices.Sort(ops)
	return ops
}

// TestIfMatchRoutesDocumented: the routes that read If-Match
// (Route.IfMatch, which refuses a malformed one) are those whose OpenAPI
// operation lists the header, and each of those documents 400
// bad_if_match.
func TestIfMatchRoutesDocumented(t *testing.T) {
	doc := openAPIDoc(t)
	a := &api.API{}
	a.Register(http.NewServeMux())
	var routes []string
	for _, rt := range a.Routes() {
		if rt.IfMatch {
			routes = append(routes, rt.Method+" "+rt.DocPath())
		}
	}
	slices.Sort(routes)
	ops := ifMatchOperations(t)
	if !slices.Equal(routes, ops) {
		t.Errorf("routes reading If-Match %v, OpenAPI operations listing it %v", routes, ops)
	}
	for _, op := range ops {
		method, path, _ := strings.Cut(op, " ")
		if desc, _ := documentedResponse(t, doc, method, path, 400)["description"].(string); !strings.Contains(desc, "bad_if_match") {
			t.Errorf("%s: 400 does not name bad_if_match: %q", op, desc)
		}
	}
}

// TestMalformedIfMatchRefused: every operation whose OpenAPI parameters
// list If-Match refuses one that is neither "*" nor a list of strong
// entity tags — a tag without its double quotes, a weak tag W/"…", "*"
// among tags, an empty header — 400 bad_if_match naming the header, in
// Chinese, where it was answered 409 concurrent_update as if the object
// had changed since it was read. The refusal writes nothing, no audit
// row: the same call without the header then succeeds as it would have.
// The operations are read from the document, so that one added with
// If-Match is checked too (failClosedCalls has a call for every route).
func TestMalformedIfMatchRefused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		calls := failClosedCalls(t, rf, db)
		a := &api.API{}
		a.Register(http.NewServeMux())
		docPath := map[string]string{}
		for _, rt := range a.Routes() {
			docPath[rt.Method+" "+rt.Path] = rt.Method + " " + rt.DocPath()
		}
		changed := func() string {
			return fmt.Sprint(rf.countWhere(t, `SELECT count(*) FROM audit_log`), rf.countWhere(t, `SELECT count(*) FROM catalog_entries`),
				rf.countWhere(t, `SELECT count(*) FROM catalog_entry_versions`), rf.countWhere(t, `SELECT count(*) FROM app_keys`),
				rf.countWhere(t, `SELECT count(*) FROM departments WHERE disabled`),
				rf.countWhere(t, `SELECT count(*) FROM users WHERE disabled`))
		}
		ops := ifMatchOperations(t)
		if len(ops) < 20 {
			t.Fatalf("OpenAPI lists If-Match on %d operations: %v", len(ops), ops)
		}
		tested := map[string]bool{}
		for _, c := range calls {
			op := docPath[c.route]
			if !slices.Contains(ops, op) || tested[op] {
				continue
			}
			tested[op] = true
			before := changed()
			for _, bad := range []string{"abc", `W/"abc"`, `"abc", W/"abc"`, `*, "abc"`, `"a b"`, `"abc`, ""} {
				r := rf.do(t, c.method, c.path, c.key, c.body, append(slices.Clone(c.hdr), "If-Match", bad)...)
				detail, _ := r.body["detail"].(string)
				if r.status != 400 || r.body["code"] != "bad_if_match" || r.body["field"] != "If-Match" || !strings.Contains(detail, "If-Match") {
					t.Errorf("%s If-Match %s: got %d %v, want 400 bad_if_match", op, bad, r.status, r.body)
				}
				if weak := strings.Contains(bad, "W/"); weak != strings.Contains(detail, "弱标签") {
					t.Errorf("%s If-Match %s: %q, want a weak tag (only) told it is weak", op, bad, detail)
				}
			}
			if after := changed(); after != before {
				t.Errorf("%s: refusals changed rows (audit, entries, versions, keys, disabled departments, users): %s, want %s", op, after, before)
			}
			if r := rf.do(t, c.method, c.path, c.key, c.body, c.hdr...); r.status != c.status {
				t.Errorf("%s without If-Match after the refusals: got %d %v, want %d", op, r.status, r.body, c.status)
			}
		}
		for _, op := range ops {
			if !tested[op] {
				t.Errorf("%s lists If-Match but has no call in failClosedCalls", op)
			}
		}
	})
}
