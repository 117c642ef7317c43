package api_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCreateAppNameAlike: POST /api/v1/apps of a name that only looks like
// an app's of the department (full width, decomposed letters, a
// compatibility ideograph, a radical) is 409 app_exists, as the same name
// is, naming the app; another department may have it. On both engines.
func TestCreateAppNameAlike(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		create := func(dept int64, name string) response {
			return f.do(t, "POST", "/api/v1/apps", f.opKey, `{"name":"`+name+`","department_id":`+itoa(dept)+`,"scopes":["catalog.read"]}`)
		}
		for _, c := range []struct{ first, alike string }{
			{"ETL推送测试", "ＥＴＬ推送测试"},
			{"Caf\u00e9核验", "Cafe\u0301核验"},
			{"王六核验", "王\uf9d1核验"},
			{"车辆核验", "\u2ecb辆核验"},
		} {
			if r := create(f.deptID, c.first); r.status != 201 {
				t.Fatalf("create %q: %d %v", c.first, r.status, r.body)
			}
			for _, name := range []string{c.first, c.alike} {
				r := create(f.deptID, name)
				if detail, _ := r.body["detail"].(string); r.status != 409 || r.body["code"] != "app_exists" || !strings.Contains(detail, c.first) {
					t.Errorf("create %q beside %q: %d %v, want 409 app_exists naming it", name, c.first, r.status, r.body)
				}
			}
		}
		if r := create(f.otherID, "ＥＴＬ推送测试"); r.status != 201 {
			t.Errorf("another department's app of a name alike: %d %v", r.status, r.body)
		}
	})
}
