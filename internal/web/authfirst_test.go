package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestAuthorisationBeforeForm: a console write that its caller may not
// make is refused 403 whatever its form holds — a missing or bad grace
// period, an unticked confirmation, a bad way back — where rotating
// another department's app without grace_hours was 400 invalid_grace and
// revoking it without 确认注销 asked for the tick; the refusal is audited as
// denied. The caller who may act is still asked. The same for retiring
// another department's catalog entry, deciding a conflict without being a
// reviewer of the catalog and disabling another department's account. On
// both engines.
func TestAuthorisationBeforeForm(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		police, market := f.client(t), f.client(t)
		ptok, mtok := police.login("police.admin"), market.login("market.admin")
		r := police.post("/apps", url.Values{"csrf_token": {ptok}, "name": {"户籍核验系统"}, "scopes": {"catalog.read"}})
		wantStatus(t, "create app", r, http.StatusCreated)
		appID := count(t, db, `SELECT id FROM apps WHERE name = '户籍核验系统'`)
		app := strconv.Itoa(appID)
		var key string
		if err := db.Read().QueryRowContext(t.Context(), `SELECT key_id FROM app_keys WHERE app_id = $1`, appID).Scan(&key); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			what, path string
			form       url.Values
			action     string
		}{
			{"rotate without grace_hours", "/apps/" + app + "/rotate", url.Values{}, "app.key.rotate"},
			{"rotate with a bad grace", "/apps/" + app + "/rotate", url.Values{"grace_hours": {"9999"}}, "app.key.rotate"},
			{"rotate with a bad way back", "/apps/" + app + "/rotate", url.Values{"grace_hours": {"0"}, "back": {"//evil.example"}}, "app.key.rotate"},
			{"revoke without confirmation", "/apps/" + app + "/revoke", url.Values{}, "app.revoke"},
			{"revoke with a bad way back", "/apps/" + app + "/revoke", url.Values{"confirm": {"yes"}, "back": {"/org"}}, "app.revoke"},
			{"revoke a key with a bad way back", "/apps/" + app + "/keys/" + key + "/revoke", url.Values{"back": {"/org"}}, "app.key.revoke"},
		} {
			c.form.Set("csrf_token", mtok)
			r := market.post(c.path, c.form)
			wantStatus(t, "another department's "+c.what, r, http.StatusForbidden)
			wantBody(t, "another department's "+c.what, r, "只能管理本部门的应用")
			if n := count(t, db, `SELECT count(*) FROM audit_log WHERE action = $1 AND outcome = 'denied' AND object_id = $2`,
				c.action, app); n == 0 {
				t.Errorf("another department's %s: no denied %s row", c.what, c.action)
			}
		}
		if n := count(t, db, `SELECT count(*) FROM app_keys WHERE app_id = $1 AND revoked_at IS NULL AND expires_at IS NULL`, appID); n != 1 {
			t.Errorf("the app's live keys after the refusals: %d, want 1", n)
		}
		// Its own department is still asked.
		r = police.post("/apps/"+app+"/rotate", url.Values{"csrf_token": {ptok}})
		wantStatus(t, "own rotate without grace_hours", r, http.StatusBadRequest)
		wantBody(t, "own rotate without grace_hours", r, "旧密钥宽限期应为 0 到 720 之间的整数")
		r = police.post("/apps/"+app+"/revoke", url.Values{"csrf_token": {ptok}})
		wantStatus(t, "own revoke without confirmation", r, http.StatusBadRequest)
		wantBody(t, "own revoke without confirmation", r, "请勾选“确认注销”后再提交")

		id := catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}
		entry := strconv.FormatInt(publish(t, f, "公安分局", "居住登记信息", "01", "002", id, catalog.Item{Name: "姓名", Type: "C", Length: 50}), 10)
		r = market.post("/catalog/"+entry+"/retire", url.Values{"csrf_token": {mtok}, "reason": {"停用"}})
		wantStatus(t, "retire another department's entry without confirmation", r, http.StatusForbidden)
		wantBody(t, "retire another department's entry without confirmation", r, "只能注销本部门的数据资源")
		r = police.post("/catalog/"+entry+"/retire", url.Values{"csrf_token": {ptok}, "reason": {"停用"}})
		wantStatus(t, "retire its own entry without confirmation", r, http.StatusBadRequest)
		wantBody(t, "retire its own entry without confirmation", r, "请勾选“确认注销”后再提交")

		// A reviewer of another department reviews nothing in the catalog,
		// whatever source it chose or did not; the operator is asked for one.
		rev, op := f.client(t), f.client(t)
		rtok, otok := rev.login("reviewer"), op.login("operator")
		r = rev.post("/catalog/"+entry+"/conflicts/1", url.Values{"csrf_token": {rtok}})
		wantStatus(t, "a department's reviewer deciding a conflict without a source", r, http.StatusForbidden)
		wantBody(t, "a department's reviewer deciding a conflict without a source", r, "只有平台管理员或政务数据主管部门的审核员可以审核数据资源目录")
		r = op.post("/catalog/"+entry+"/conflicts/1", url.Values{"csrf_token": {otok}})
		wantStatus(t, "the operator deciding a conflict without a source", r, http.StatusBadRequest)
		wantBody(t, "the operator deciding a conflict without a source", r, "请选择权威数源，或裁定为不是同一数据项")

		user := strconv.FormatInt(f.users["locked"].ID, 10)
		r = market.post("/org/users/"+user+"/disable", url.Values{"csrf_token": {mtok}})
		wantStatus(t, "disable another department's account without confirmation", r, http.StatusForbidden)
		r = police.post("/org/users/"+user+"/disable", url.Values{"csrf_token": {ptok}})
		wantStatus(t, "disable its own department's account without confirmation", r, http.StatusBadRequest)
		wantBody(t, "disable its own department's account without confirmation", r, "请勾选“确认停用”后再提交")
	})
}
