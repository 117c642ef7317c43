package web_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
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
		r = c.post(fmt.Sprintf("/apps/%d/rotate", app.ID), url.Values{"csrf_token": {token}, "grace_hours": {"0"}, "confirm": {"yes"}})
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

var appsHrefRE = regexp.MustCompile(`(?:href|value)="(/apps(?:\?[^"#]*)?)(?:#[^"]*)?"`)

// TestAppsDepartmentFilter: the operator's /apps filters by department
// (department_id, as GET /api/v1/apps does) with a select of the
// departments, where the parameter was ignored and every department's
// apps shown; a department administrator may name only their own; a
// parameter /apps does not take is refused (400 unknown_parameter), as
// /catalog and /org refuse them. Every link the page gives, its forms'
// ways back and the pages an action sends back to keep the filter and
// answer 200.
func TestAppsDepartmentFilter(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		by := audit.Actor{Kind: audit.ActorSystem, ID: "test"}
		var market []org.App
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			for i := range 55 {
				for _, d := range []string{"市场监管局", "公安分局"} {
					if d == "公安分局" && i >= 3 {
						continue
					}
					a, _, err := org.CreateApp(ctx, tx, by, org.NewApp{Name: fmt.Sprintf("%s系统%02d", d, i),
						DepartmentID: f.depts[d].ID, Scopes: []string{"catalog.read"}}, f.clock.Now())
					if err != nil {
						return err
					}
					if d == "市场监管局" {
						market = append(market, a)
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		mid := strconv.FormatInt(f.depts["市场监管局"].ID, 10)
		c := f.client(t)
		token := c.login("operator")
		r := c.get("/apps?department_id=" + mid)
		wantStatus(t, "filtered", r, http.StatusOK)
		wantBody(t, "filtered", r, "共 55 个", "市场监管局系统00", `<select name="department_id" id="app-dept-filter">`,
			`<option value="`+mid+`" selected>佛山市南海区市场监督管理局</option>`)
		wantNoBody(t, "filtered", r, "公安分局系统00")
		wantBody(t, "unfiltered", c.get("/apps"), "共 58 个", `<option value="" selected>全部部门</option>`)

		for _, b := range []struct{ url, param, msg string }{
			{"/apps?foo=1", "foo", "本页不支持查询参数“foo”"},
			{"/apps?department=1", "department", "本页不支持查询参数“department”"},
			{"/apps?department_id=abc", "department_id", "invalid_filter"},
			{"/apps?department_id=-1", "department_id", "invalid_filter"},
		} {
			r := c.get(b.url)
			wantStatus(t, b.url, r, http.StatusBadRequest)
			wantBody(t, b.url, r, b.msg)
			wantNoBody(t, b.url, r, "市场监管局系统00")
		}

		police := f.loggedIn(t, "police.admin")
		r = police.get("/apps?department_id=" + mid)
		wantStatus(t, "police names another department", r, http.StatusForbidden)
		wantNoBody(t, "police names another department", r, "市场监管局系统00")
		r = police.get("/apps?department_id=" + strconv.FormatInt(f.depts["公安分局"].ID, 10))
		wantStatus(t, "police names its own department", r, http.StatusOK)
		wantBody(t, "police names its own department", r, "公安分局系统00")
		wantNoBody(t, "police's page", r, `id="app-dept-filter"`)

		// Every link and way back of the filtered pages answers, and
		// keeps the filter.
		seen := crawl(t, c, appsHrefRE, 50, []string{"/apps?department_id=" + mid, "/apps?department_id=" + mid + "&q=" + url.QueryEscape("系统") + "&msg=revoked"},
			func(u, l string) bool {
				if l == "/apps" {
					return false // the form's action
				}
				if !strings.Contains(l, "department_id="+mid) {
					t.Errorf("GET %s: link %s drops the department", u, l)
				}
				return true
			},
			func(u string, r response) { wantNoBody(t, "GET "+u, r, "公安分局系统00") })
		if len(seen) < 4 {
			t.Errorf("followed %d links, want at least 4: %v", len(seen), seen)
		}
		next := "/apps?cursor=" + url.QueryEscape(base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("apps:%d", market[49].ID)))) + "&department_id=" + mid
		wantBody(t, "page 2", c.get(next), "市场监管局系统54")
		r = c.post(fmt.Sprintf("/apps/%d/keys/%s/revoke", market[54].ID, market[54].Keys[0].ID),
			url.Values{"csrf_token": {token}, "confirm": {"yes"}, "back": {next}})
		wantStatus(t, "revoke a key from page 2", r, http.StatusSeeOther)
		if !strings.Contains(r.Location, "department_id="+mid) {
			t.Errorf("revoke a key from page 2: back to %s, want the department kept", r.Location)
		}
		wantStatus(t, "back to "+r.Location, c.get(r.Location), http.StatusOK)
		r = c.post(fmt.Sprintf("/apps/%d/rotate", market[54].ID), url.Values{"csrf_token": {token}, "grace_hours": {"x"}, "back": {next}})
		wantStatus(t, "refused rotation from page 2", r, http.StatusBadRequest)
		wantBody(t, "refused rotation from page 2", r, fmt.Sprintf(`id="app-%d-grace-error"`, market[54].ID))
		wantNoBody(t, "refused rotation from page 2", r, "公安分局系统00")
	})
}

// TestRevokeKeyMalformedID: a key id that is not one (not twelve
// lowercase hex digits) in the path of a key's revocation is a bad request
// (400 invalid_key_id), not a key not found; a well-formed id the app does
// not have stays 404.
func TestRevokeKeyMalformedID(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		app := newPoliceApp(t, f, db, "户籍核验系统")
		c := f.client(t)
		token := c.login("police.admin")
		for _, id := range []string{"zzz", "0123456789AB", "0123456789abc"} {
			r := c.post(fmt.Sprintf("/apps/%d/keys/%s/revoke", app.ID, id), url.Values{"csrf_token": {token}, "confirm": {"yes"}})
			wantStatus(t, "key id "+id, r, http.StatusBadRequest)
			wantBody(t, "key id "+id, r, "不是有效的密钥编号", "invalid_key_id")
		}
		r := c.post(fmt.Sprintf("/apps/%d/keys/0123456789ab/revoke", app.ID), url.Values{"csrf_token": {token}, "confirm": {"yes"}})
		wantStatus(t, "another key", r, http.StatusNotFound)
	})
}
