package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCreateFormSentTwice: a create form sent again with the same form_id
// (a second click on a slow link, whose first answer the browser dropped)
// leads to what its first submission made, not to the refusal of its name
// as taken (409): a new account and a new entry by a redirect to it with a
// note; a new app by a page that names it, says its key was shown by the
// first submission and offers 轮换密钥, and shows no key. Nothing is made
// twice, and a new form_id is still refused the taken name. On both
// engines.
func TestCreateFormSentTwice(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		police := f.client(t)
		tok := police.login("police.admin")
		op := f.client(t)
		otok := op.login("operator")

		t.Run("app", func(t *testing.T) {
			form := url.Values{"csrf_token": {tok}, "name": {"双击核验系统"}, "scopes": {"catalog.read"}, "form_id": {formIDOn(t, police, "/apps")}}
			first := police.post("/apps", form)
			wantStatus(t, "first", first, http.StatusCreated)
			again := police.post("/apps", form)
			wantStatus(t, "sent again", again, http.StatusOK)
			wantBody(t, "sent again", again, "应用“双击核验系统”已由第一次提交创建", "轮换密钥", "/apps?q=")
			id := count(t, db, `SELECT id FROM apps WHERE name = '双击核验系统'`)
			wantBody(t, "sent again", again, "#app-"+strconv.Itoa(id))
			m := regexp.MustCompile(`id="api-key"[^>]*value="([^"]+)"`).FindStringSubmatch(first.Body)
			if m == nil {
				t.Fatalf("first: no key shown\n%s", first.Body)
			}
			if strings.Contains(again.Body, m[1]) || strings.Contains(again.Body, `id="api-key"`) {
				t.Errorf("sent again: the page shows a key\n%s", again.Body)
			}
			if n := count(t, db, `SELECT count(*) FROM apps WHERE name = '双击核验系统'`); n != 1 {
				t.Errorf("apps made: %d, want 1", n)
			}
			if n := count(t, db, `SELECT count(*) FROM app_keys k JOIN apps a ON a.id = k.app_id WHERE a.name = '双击核验系统'`); n != 1 {
				t.Errorf("keys issued: %d, want 1", n)
			}
			form.Set("form_id", formIDOn(t, police, "/apps"))
			wantStatus(t, "another form", police.post("/apps", form), http.StatusConflict)
		})
		t.Run("account", func(t *testing.T) {
			form := url.Values{"csrf_token": {otok}, "username": {"dbl.clerk"}, "display_name": {"双击"}, "department": {"公安分局"},
				"role": {"reviewer"}, "password": {password}, "password_confirm": {password}, "form_id": {formIDOn(t, op, "/org/users/new")}}
			first := op.post("/org/users/new", form)
			wantStatus(t, "first", first, http.StatusSeeOther)
			again := op.post("/org/users/new", form)
			wantStatus(t, "sent again", again, http.StatusSeeOther)
			want := strings.TrimSuffix(first.Location, "?msg=created") + "?msg=repeated"
			if again.Location != want {
				t.Fatalf("sent again: redirected to %q, want %q", again.Location, want)
			}
			wantBody(t, "the account after the repeat", op.get(again.Location), "dbl.clerk", "账号已由第一次提交创建")
			if n := count(t, db, `SELECT count(*) FROM users WHERE username = 'dbl.clerk'`); n != 1 {
				t.Errorf("accounts made: %d, want 1", n)
			}
			form.Set("form_id", formIDOn(t, op, "/org/users/new"))
			wantStatus(t, "another form", op.post("/org/users/new", form), http.StatusConflict)
		})
		t.Run("entry", func(t *testing.T) {
			form := entryForm(tok, "双击户籍信息", "公民身份号码", "C", "18", "yes")
			form.Set("form_id", formIDOn(t, police, "/catalog/new"))
			before := countEntries(t, db)
			first := police.post("/catalog/new", form)
			wantStatus(t, "first", first, http.StatusSeeOther)
			again := police.post("/catalog/new", form)
			wantStatus(t, "sent again", again, http.StatusSeeOther)
			want := strings.TrimSuffix(first.Location, "?msg=created") + "?msg=repeated"
			if again.Location != want {
				t.Fatalf("sent again: redirected to %q, want %q", again.Location, want)
			}
			wantBody(t, "the entry after the repeat", police.get(again.Location), "双击户籍信息", "数据资源已由第一次提交保存为草稿")
			if n := countEntries(t, db) - before; n != 1 {
				t.Errorf("entries made: %d, want 1", n)
			}
			form.Set("form_id", formIDOn(t, police, "/catalog/new"))
			wantStatus(t, "another form", police.post("/catalog/new", form), http.StatusConflict)
		})
		t.Run("forms carry a form_id", func(t *testing.T) {
			for _, c := range []struct {
				c    *client
				path string
			}{{police, "/apps"}, {op, "/org/users/new"}, {police, "/catalog/new"}} {
				formIDOn(t, c.c, c.path)
			}
		})
	})
}

var formIDRE = regexp.MustCompile(`name="form_id" value="([^"]*)"`)

// formIDOn returns the form_id of the create form at path.
func formIDOn(t *testing.T, c *client, path string) string {
	t.Helper()
	r := c.get(path)
	wantStatus(t, path, r, http.StatusOK)
	m := formIDRE.FindStringSubmatch(r.Body)
	if m == nil || m[1] == "" {
		t.Fatalf("%s: no form_id\n%s", path, r.Body)
	}
	return m[1]
}
