package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCreateAppNameAlikeConsole: the console's create form refuses a name
// that only looks like an app's of the department (full width, decomposed
// letters) as it refuses the same name, 409 with the form shown again,
// naming the app, and creates nothing. On both engines.
func TestCreateAppNameAlikeConsole(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		token := c.login("police.admin")
		create := func(name string) response {
			return c.post("/apps", url.Values{"csrf_token": {token}, "name": {name}, "scopes": {"catalog.read"}})
		}
		wantStatus(t, "create", create("ETL推送测试"), http.StatusCreated)
		wantStatus(t, "create", create("Caf\u00e9核验"), http.StatusCreated)
		for _, name := range []string{"ＥＴＬ推送测试", "etl 推送测试", "Cafe\u0301核验"} {
			r := create(name)
			wantStatus(t, name, r, http.StatusConflict)
			wantBody(t, name, r, "本部门已有名称看起来相同的应用", `value="`+name+`"`)
			if n := count(t, db, `SELECT count(*) FROM apps WHERE name = $1`, name); n != 0 {
				t.Errorf("%d apps named %q, want none", n, name)
			}
		}
	})
}
