package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/api"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestOpenAPIDocumentsUnknownParameter: every route the server serves,
// called as failClosedCalls calls it with a query parameter it does not
// take, answers a status its OpenAPI operation documents (400
// unknown_parameter), and changes nothing.
func TestOpenAPIDocumentsUnknownParameter(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		calls := failClosedCalls(t, rf, db)
		doc := openAPIDoc(t)
		a := &api.API{}
		a.Register(http.NewServeMux())
		docPath := map[string]string{}
		for _, rt := range a.Routes() {
			docPath[rt.Method+" "+rt.Path] = rt.DocPath()
		}
		called := map[string]bool{}
		before := rf.countWhere(t, `SELECT count(*) FROM audit_log`)
		for _, c := range calls {
			called[c.route] = true
			path := c.path + "?foo=1"
			if strings.Contains(c.path, "?") {
				path = c.path + "&foo=1"
			}
			r := rf.do(t, c.method, path, c.key, c.body, c.hdr...)
			if r.status != 400 || r.body["code"] != "unknown_parameter" || r.body["field"] != "foo" {
				t.Errorf("%s %s: got %d %v, want 400 unknown_parameter on foo", c.method, path, r.status, r.body)
			}
			if documentedResponse(t, doc, c.method, docPath[c.route], r.status) == nil {
				t.Errorf("%s %s answers %d, which its OpenAPI operation does not document", c.method, docPath[c.route], r.status)
			}
		}
		for _, rt := range a.Routes() {
			if !called[rt.Method+" "+rt.Path] {
				t.Errorf("%s %s: not called", rt.Method, rt.Path)
			}
		}
		if after := rf.countWhere(t, `SELECT count(*) FROM audit_log`); after != before {
			t.Errorf("refused calls wrote %d audit rows", after-before)
		}
	})
}
