package api_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestEntryLineBreaksLF: an abstract POSTed and PUT with CR LF line breaks
// (as a browser's textarea sends them) is stored and answered with LF.
func TestEntryLineBreaksLF(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin := f.session(t, "mz.admin")
		body := strings.Replace(marriageEntry, "结婚登记、离婚登记", `结婚登记\r\n离婚登记`, 1)
		r := f.do(t, "POST", "/api/v1/catalog/entries", "", body, admin...)
		if r.status != 201 || !strings.Contains(r.body["abstract"].(string), "结婚登记\n离婚登记") {
			t.Fatalf("create: %d %q, want LF", r.status, r.body["abstract"])
		}
		base := "/api/v1/catalog/entries/" + jsonNumber(r.body["id"])
		body = strings.Replace(marriageEntry, "结婚登记、离婚登记", `结婚\r离婚\r\n登记`, 1)
		if r := f.do(t, "PUT", base, "", body, admin...); r.status != 200 {
			t.Fatalf("PUT: %d %v", r.status, r.body)
		}
		if g := f.do(t, "GET", base+"?view=working", "", "", admin...); !strings.Contains(g.body["abstract"].(string), "结婚\n离婚\n登记") {
			t.Errorf("after PUT: abstract %q, want LF", g.body["abstract"])
		}
	})
}
