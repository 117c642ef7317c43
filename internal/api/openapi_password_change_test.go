package api_test

import (
	"net/http"
	"regexp"
	"testing"

	"github.com/hutong-gov/hutong/internal/api"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestOpenAPIDocumentsPasswordChangeRequired: a session whose account must
// change the password someone else set is refused 403
// password_change_required by every route that is neither public nor
// Provisional, and every such operation documents that 403 and, where its
// 403 names codes, that code: a generated client types each operation's
// answers, so an undocumented status is one it cannot read. On both
// engines.
func TestOpenAPIDocumentsPasswordChangeRequired(t *testing.T) {
	doc := openAPIDoc(t)
	a := &api.API{}
	a.Register(http.NewServeMux())
	wildcard := regexp.MustCompile(`\{[^}]+\}`)
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		r := f.do(t, "POST", "/api/v1/users", f.opKey, `{"username":"mz.new","display_name":"新人","department_id":`+
			itoa(f.deptID)+`,"role":"dept_admin","password":"`+password+`"}`)
		if r.status != 201 || r.body["password_change_required"] != true {
			t.Fatalf("create: %d %v, want 201 with password_change_required true", r.status, r.body)
		}
		s := f.session(t, "mz.new")
		for _, rt := range a.Routes() {
			if rt.Public || rt.Provisional {
				continue
			}
			path := wildcard.ReplaceAllString(rt.Path, "1")
			r := f.do(t, rt.Method, path, "", "", s...)
			if r.status != 403 || r.body["code"] != "password_change_required" {
				t.Errorf("%s %s: %d %v, want 403 password_change_required", rt.Method, path, r.status, r.body)
				continue
			}
			if msg := undocumentedAnswer(t, doc, rt.Method, rt.DocPath(), r.status, "password_change_required"); msg != "" {
				t.Error(msg)
			}
		}
	})
}
