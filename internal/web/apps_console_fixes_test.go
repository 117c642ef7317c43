package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// newPoliceApp creates an app of 公安分局 with one key.
func newPoliceApp(t *testing.T, f *fixture, db *sqldb.DB, name string) org.App {
	t.Helper()
	ctx := context.Background()
	var app org.App
	err := db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
		app, _, err = org.CreateApp(ctx, tx, audit.Actor{Kind: audit.ActorSystem, ID: "test"},
			org.NewApp{Name: name, DepartmentID: f.depts["公安分局"].ID, Scopes: []string{"catalog.read"}}, f.clock.Now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return app
}

// TestRotateKeyTellsWhatStaysValid: the page after a rotation says an old
// key stays valid only when one does: after the app's only key was
// revoked, a rotation with the default 24 hours' grace leaves none.
func TestRotateKeyTellsWhatStaysValid(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		app := newPoliceApp(t, f, db, "户籍核验系统")
		c := f.client(t)
		token := c.login("police.admin")
		r := c.post(fmt.Sprintf("/apps/%d/keys/%s/revoke", app.ID, app.Keys[0].ID), url.Values{"csrf_token": {token}, "confirm": {"yes"}})
		wantStatus(t, "revoke the only key", r, http.StatusSeeOther)
		r = c.post(fmt.Sprintf("/apps/%d/rotate", app.ID), url.Values{"csrf_token": {token}, "grace_hours": {"24"}})
		wantStatus(t, "rotate without a valid key", r, http.StatusCreated)
		wantBody(t, "rotate without a valid key", r, "没有仍有效的旧密钥")
		wantNoBody(t, "rotate without a valid key", r, "仍然有效")

		// With a valid key, the grace is told, with the key it keeps.
		r = c.post(fmt.Sprintf("/apps/%d/rotate", app.ID), url.Values{"csrf_token": {token}, "grace_hours": {"24"}})
		wantStatus(t, "rotate with a valid key", r, http.StatusCreated)
		wantBody(t, "rotate with a valid key", r, "在 24 小时内仍然有效")
		// Without grace, the old keys are revoked at once.
		r = c.post(fmt.Sprintf("/apps/%d/rotate", app.ID), url.Values{"csrf_token": {token}, "grace_hours": {"0"}})
		wantStatus(t, "rotate without grace", r, http.StatusCreated)
		wantBody(t, "rotate without grace", r, "已立即吊销")
		wantNoBody(t, "rotate without grace", r, "仍然有效")
	})
}

// TestRevokeKeyAsksConfirmation: revoking a key asks 确认吊销 as revoking
// the app asks 确认注销, on the page and again by the server: a key
// revoked without it stays valid.
func TestRevokeKeyAsksConfirmation(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		app := newPoliceApp(t, f, db, "户籍核验系统")
		c := f.client(t)
		token := c.login("police.admin")
		wantBody(t, "apps page", c.get("/apps"), fmt.Sprintf(`action="/apps/%d/keys/%s/revoke"`, app.ID, app.Keys[0].ID),
			`name="confirm" value="yes" required> 确认吊销`)
		path := fmt.Sprintf("/apps/%d/keys/%s/revoke", app.ID, app.Keys[0].ID)
		for _, confirm := range []string{"", "no"} {
			r := c.post(path, url.Values{"csrf_token": {token}, "confirm": {confirm}})
			wantStatus(t, "revoke a key, confirm "+confirm, r, http.StatusBadRequest)
			wantBody(t, "revoke a key, confirm "+confirm, r, "请勾选“确认吊销”后再提交")
		}
		a, err := org.AppByID(context.Background(), db.Read(), app.ID)
		if err != nil || a.Keys[0].RevokedAt != nil {
			t.Fatalf("key after unconfirmed revocations: %+v, %v; want it valid", a.Keys, err)
		}
		r := c.post(path, url.Values{"csrf_token": {token}, "confirm": {"yes"}})
		wantStatus(t, "revoke a key, confirmed", r, http.StatusSeeOther)
	})
}

// TestAppActionRefusalsInline: a refused rotation, app revocation or key
// revocation shows the apps list again, the page the form was on, with the
// refusal at that app's form and what was typed kept, not a bare error
// page.
func TestAppActionRefusalsInline(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		app := newPoliceApp(t, f, db, "户籍核验系统")
		other := newPoliceApp(t, f, db, "不动产登记系统")
		c := f.client(t)
		token := c.login("police.admin")
		for _, grace := range []string{"abc", "1000", "-1"} {
			r := c.post(fmt.Sprintf("/apps/%d/rotate", app.ID), url.Values{"csrf_token": {token}, "grace_hours": {grace}, "back": {"/apps?q=系统"}})
			what := "rotate, grace " + grace
			wantStatus(t, what, r, http.StatusBadRequest)
			wantBody(t, what, r, "本部门应用", "不动产登记系统", `value="系统"`,
				fmt.Sprintf(`<input type="number" name="grace_hours" value="%s" min="0" max="720" class="input-small" aria-invalid="true" aria-describedby="app-%d-grace-error">`, grace, app.ID),
				fmt.Sprintf(`<span class="field-error" id="app-%d-grace-error">旧密钥宽限期应为 0 到 720 之间的整数（小时）</span>`, app.ID))
			wantNoBody(t, what, r, fmt.Sprintf(`id="app-%d-grace-error"`, other.ID))
		}
		r := c.post(fmt.Sprintf("/apps/%d/revoke", app.ID), url.Values{"csrf_token": {token}})
		wantStatus(t, "revoke app unconfirmed", r, http.StatusBadRequest)
		wantBody(t, "revoke app unconfirmed", r, "不动产登记系统",
			fmt.Sprintf(`<input type="checkbox" name="confirm" value="yes" required aria-invalid="true" aria-describedby="app-%d-revoke-error"> 确认注销`, app.ID),
			fmt.Sprintf(`<span class="field-error" id="app-%d-revoke-error">请勾选“确认注销”后再提交</span>`, app.ID))
		key := app.Keys[0].ID
		r = c.post(fmt.Sprintf("/apps/%d/keys/%s/revoke", app.ID, key), url.Values{"csrf_token": {token}})
		wantStatus(t, "revoke key unconfirmed", r, http.StatusBadRequest)
		wantBody(t, "revoke key unconfirmed", r, "不动产登记系统",
			fmt.Sprintf(`<input type="checkbox" name="confirm" value="yes" required aria-invalid="true" aria-describedby="key-%s-revoke-error"> 确认吊销`, key),
			fmt.Sprintf(`<span class="field-error" id="key-%s-revoke-error">请勾选“确认吊销”后再提交</span>`, key))
		wantBody(t, "revoke key unconfirmed", r, fmt.Sprintf(`<p class="alert" role="alert" id="action-error">请勾选“确认吊销”后再提交（<a href="#app-%d">见该应用</a>）</p>`, app.ID))
		// Sent from a page the app is not on (since renamed, say), the
		// refusal is above the list.
		r = c.post(fmt.Sprintf("/apps/%d/revoke", app.ID), url.Values{"csrf_token": {token}, "back": {"/apps?q=不动产"}})
		wantStatus(t, "revoke app unconfirmed, another page", r, http.StatusBadRequest)
		wantBody(t, "revoke app unconfirmed, another page", r, `<p class="alert" role="alert" id="action-error">请勾选“确认注销”后再提交</p>`, "不动产登记系统")
		a, err := org.AppByID(context.Background(), db.Read(), app.ID)
		if err != nil || a.RevokedAt != nil || a.Keys[0].RevokedAt != nil || len(a.Keys) != 1 {
			t.Fatalf("app after refused actions: %+v, %v; want it and its one key valid", a, err)
		}
	})
}
