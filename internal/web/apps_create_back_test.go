package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCreateAppAuthorisationBeforeBack: a new app its caller may not make
// (in another department, with a scope the caller lacks) is refused 403
// and audited as a denied app.create whatever way back the form names,
// as rotating or revoking another department's app is, where a bad back
// was 400 invalid_back with no row. The caller who may create it is still
// told the way back is bad. On both engines.
func TestCreateAppAuthorisationBeforeBack(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		police := f.client(t)
		tok := police.login("police.admin")
		own, other := strconv.FormatInt(f.depts["公安分局"].ID, 10), strconv.FormatInt(f.depts["市场监管局"].ID, 10)
		for _, c := range []struct {
			what    string
			form    url.Values
			message string
			dept    string
		}{
			{"another department's app", url.Values{"scopes": {"catalog.read"}, "department": {"佛山市南海区市场监督管理局"}},
				"只能管理本部门的应用", other},
			{"a scope the caller lacks", url.Values{"scopes": {"admin"}}, "不能授予本人没有的权限范围", own},
		} {
			for _, back := range []string{"https://evil.example/", "/org"} {
				what := c.what + " with back " + back
				c.form.Set("csrf_token", tok)
				c.form.Set("name", "越权系统")
				c.form.Set("back", back)
				before := count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'app.create' AND outcome = 'denied'
					AND object_type = 'department' AND object_id = $1`, c.dept)
				r := police.post("/apps", c.form)
				wantStatus(t, what, r, http.StatusForbidden)
				wantBody(t, what, r, c.message)
				if n := count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'app.create' AND outcome = 'denied'
					AND object_type = 'department' AND object_id = $1`, c.dept); n != before+1 {
					t.Errorf("%s: %d new denied app.create rows of department %s, want 1", what, n-before, c.dept)
				}
			}
		}
		if n := count(t, db, `SELECT count(*) FROM apps WHERE name = '越权系统'`); n != 0 {
			t.Errorf("apps made by the refused forms: %d, want 0", n)
		}
		r := police.post("/apps", url.Values{"csrf_token": {tok}, "name": {"户籍核验系统"}, "scopes": {"catalog.read"},
			"back": {"https://evil.example/"}})
		wantStatus(t, "own app with a bad back", r, http.StatusBadRequest)
		wantBody(t, "own app with a bad back", r, "返回地址无效，请回到应用列表重新操作")
		if n := count(t, db, `SELECT count(*) FROM apps WHERE name = '户籍核验系统'`); n != 0 {
			t.Errorf("apps made with a bad back: %d, want 0", n)
		}
	})
}
