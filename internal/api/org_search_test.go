package api_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestOrgListSearch: the q of the lists of departments, users and apps is
// read as the console's and the audit list's searches are (org.Search):
// 100 characters are searched, 101 are 400 query_too_long and a control
// character 400 invalid_characters, where both served an empty page.
func TestOrgListSearch(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		for _, list := range []string{"departments", "users", "apps"} {
			path := "/api/v1/" + list + "?q="
			if r := f.do(t, "GET", path+strings.Repeat("张", 100), f.opKey, ""); r.status != 200 {
				t.Errorf("%s, 100 characters: %d %v", list, r.status, r.body)
			}
			for _, c := range []struct{ q, code string }{
				{strings.Repeat("张", 101), "query_too_long"},
				{"%01", "invalid_characters"},
			} {
				r := f.do(t, "GET", path+c.q, f.opKey, "")
				if detail, _ := r.body["detail"].(string); r.status != 400 || r.body["code"] != c.code || r.body["field"] != "q" || !hasHan(detail) {
					t.Errorf("%s?q=%.12s…: got %d %v %v %v, want 400 %s of q", list, c.q, r.status, r.body["code"], r.body["field"], r.body["detail"], c.code)
				}
			}
		}
	})
}
