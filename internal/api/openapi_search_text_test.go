package api_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/api"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestOpenAPISearchTextDeclared: every route taking a search text q (its
// Route.Query, which TestRoutesTakeTheirDocumentedParameters compares
// with the document's parameters) declares it with the limit the server
// enforces: the document's q has a maxLength and says query_too_long, the
// operation's 400 names query_too_long, and the server, called as
// failClosedCalls calls it, takes a q of maxLength characters and refuses
// one more (400 query_too_long on q), on both engines. A route that reads
// q without a limit, or whose q the document leaves without one, fails
// here: GET /catalog/retire-requests read any length, each word a LIKE
// condition, and it and GET /catalog/export declared no maxLength.
func TestOpenAPISearchTextDeclared(t *testing.T) {
	doc := openAPIDoc(t)
	a := &api.API{}
	a.Register(http.NewServeMux())
	limits := map[string]int{}
	for _, rt := range a.Routes() {
		if !slices.Contains(rt.Query, "q") {
			continue
		}
		route := rt.Method + " " + rt.Path
		q := docSchema(doc, "paths", rt.DocPath(), strings.ToLower(rt.Method), "q=param")
		limit, _ := docSchema(q, "schema")["maxLength"].(float64)
		if desc, _ := q["description"].(string); limit <= 0 || !strings.Contains(desc, "query_too_long") {
			t.Errorf("%s: q declares no maxLength or does not describe query_too_long: %v", route, q)
			continue
		}
		if msg := undocumentedAnswer(t, doc, rt.Method, rt.DocPath(), 400, "query_too_long"); msg != "" {
			t.Error(msg)
		}
		limits[route] = int(limit)
	}
	if len(limits) == 0 {
		t.Fatal("no route takes q")
	}
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		called := map[string]bool{}
		for _, c := range failClosedCalls(t, rf, db) {
			limit, ok := limits[c.route]
			if !ok || called[c.route] {
				continue
			}
			called[c.route] = true
			for _, n := range []int{limit, limit + 1} {
				sep := "?"
				if strings.Contains(c.path, "?") {
					sep = "&"
				}
				path := c.path + sep + "q=" + url.QueryEscape(strings.Repeat("名", n))
				r := rf.do(t, c.method, path, c.key, c.body, c.hdr...)
				if n == limit && r.status != c.status {
					t.Errorf("%s with a q of %d characters (its maxLength): got %d %v, want %d", c.route, n, r.status, r.body, c.status)
				}
				if n > limit && (r.status != 400 || r.body["code"] != "query_too_long" || r.body["field"] != "q") {
					t.Errorf("%s with a q of %d characters (maxLength %d): got %d %v, want 400 query_too_long on q", c.route, n, limit, r.status, r.body)
				}
			}
		}
		for route := range limits {
			if !called[route] {
				t.Errorf("%s: not called", route)
			}
		}
	})
}
