package api_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// Submitting an entry relating to a code no entry has is refused, 400
// related_code_unknown on related_codes[0] naming the code; approving one
// relating to a draft is refused, 409 related_code_unpublished; in both the
// entry stays as it was.
func TestRelatedCodesRefused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin, op := f.session(t, "mz.admin"), f.session(t, "nh.op")
		entry := func(name string, related ...string) string {
			codes, _ := strings.CutSuffix(`"`+strings.Join(related, `","`)+`"`, `""`)
			body := strings.Replace(marriageEntry, `"name":"婚姻登记信息"`, `"name":"`+name+`","related_codes":[`+codes+`]`, 1)
			r := f.do(t, "POST", "/api/v1/catalog/entries", "", body, admin...)
			if r.status != 201 {
				t.Fatalf("create %s: %d %v", name, r.status, r.body)
			}
			return "/api/v1/catalog/entries/" + jsonNumber(r.body["id"])
		}
		check := func(what string, r response, status int, code, detail string) {
			t.Helper()
			if r.status != status || r.body["code"] != code || r.body["field"] != "related_codes[0]" ||
				!strings.Contains(r.body["detail"].(string), detail) {
				t.Fatalf("%s: %d %v; want %d %s on related_codes[0] naming %s", what, r.status, r.body, status, code, detail)
			}
		}
		unknown := entry("婚姻登记信息", "303001/999999")
		check("submit", f.do(t, "POST", unknown+"/submit", "", "", admin...), 400, "related_code_unknown", "303001/999999")
		if r := f.do(t, "GET", unknown, "", "", admin...); r.body["status"] != "draft" {
			t.Fatalf("after the refusal: %v", r.body["status"])
		}

		draft := entry("婚姻登记补充信息")
		r := f.do(t, "GET", draft, "", "", admin...)
		x := entry("离婚登记信息", r.body["code"].(string))
		if r := f.do(t, "POST", x+"/submit", "", "", admin...); r.status != 200 {
			t.Fatalf("submit relating to a draft: %d %v", r.status, r.body)
		}
		check("approve", f.do(t, "POST", x+"/approve", "", "", op...), 409, "related_code_unpublished", r.body["code"].(string))
		if r := f.do(t, "GET", x, "", "", admin...); r.body["status"] != "submitted" {
			t.Fatalf("after the refusal: %v", r.body["status"])
		}
	})
}
