package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRevokeAppTwiceConsole: the console's revoke form, sent again for an
// app revoked already (a second tab, a resent form), is 409 应用已注销, as
// the API's app_revoked, not a page saying the app does not exist; the
// create form refuses a revoked app's name saying it was a revoked app's.
// On both engines.
func TestRevokeAppTwiceConsole(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		token := c.login("police.admin")
		create := func() response {
			return c.post("/apps", url.Values{"csrf_token": {token}, "name": {"户籍核验系统"}, "scopes": {"catalog.read"}})
		}
		wantStatus(t, "create", create(), http.StatusCreated)
		id := count(t, db, `SELECT id FROM apps WHERE name = '户籍核验系统'`)
		revoke := func() response {
			return c.post(fmt.Sprintf("/apps/%d/revoke", id), url.Values{"csrf_token": {token}, "confirm": {"yes"}})
		}
		wantStatus(t, "revoke", revoke(), http.StatusSeeOther)
		r := revoke()
		wantStatus(t, "revoke again", r, http.StatusConflict)
		wantBody(t, "revoke again", r, "应用已注销")
		wantNoBody(t, "revoke again", r, "应用不存在")
		r = create()
		wantStatus(t, "a revoked app's name", r, http.StatusConflict)
		wantBody(t, "a revoked app's name", r, "本部门已有同名应用（已注销）：户籍核验系统")
	})
}
