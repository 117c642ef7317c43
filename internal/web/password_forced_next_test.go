package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestPasswordChangeKeepsNext: an account whose password was reset logs
// in to the page it asked for (next, a search of 数据资源目录), is led to
// 修改密码 with that page kept (?next=, htmx's HX-Redirect too), and once
// it has changed the password lands on it, where it used to stay on
// 修改密码. The kept page follows the login's rules (safeNext): another
// site's address, or none, or home, leads to 修改密码's 密码已修改 as
// before; a refused form keeps it. The forced page shows only what works
// there: the password form and 退出登录, with why, not the navigation
// whose every link led back, nor 修改密码 and 首页 links to itself.
func TestPasswordChangeKeepsNext(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		const initial, own = "Initial-Pass-2026", "Own-Choice-2026"
		reset := func() {
			t.Helper()
			pw, err := org.HashNewPassword(t.Context(), initial)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.Tx(t.Context(), func(tx *sqldb.Tx) error {
				return org.SetPassword(t.Context(), tx, audit.Actor{Kind: audit.ActorSystem, ID: "test"}, f.users["reviewer"].ID, pw, f.clock.Now())
			}); err != nil {
				t.Fatal(err)
			}
		}
		c := f.client(t)
		logIn := func(next string) response {
			t.Helper()
			r := c.post("/login", url.Values{"username": {"reviewer"}, "password": {initial}, "next": {next}})
			if r.Status != http.StatusSeeOther {
				t.Fatalf("login: %d\n%s", r.Status, r.Body)
			}
			return r
		}
		change := func(token, pw, next string) response {
			t.Helper()
			return c.post(passwordPage, url.Values{"csrf_token": {token}, "current_password": {initial}, "password": {pw},
				"password_confirm": {own}, "next": {next}})
		}

		reset()
		const wanted = "/catalog?q=hukou"
		led := passwordPage + "?next=" + url.QueryEscape(wanted)
		r := logIn(wanted)
		if r.Location != wanted {
			t.Fatalf("login with next %s: to %q", wanted, r.Location)
		}
		if r = c.get(wanted); r.Status != http.StatusSeeOther || r.Location != led {
			t.Fatalf("GET %s: %d to %q, want 303 to %s", wanted, r.Status, r.Location, led)
		}
		if r := c.get("/catalog", "HX-Request", "true"); r.Header.Get("HX-Redirect") != passwordPage+"?next=%2Fcatalog" {
			t.Errorf("htmx GET /catalog: HX-Redirect %q", r.Header.Get("HX-Redirect"))
		}
		if r := c.get("/"); r.Location != passwordPage {
			t.Errorf("GET /: to %q, want %s: home is no page asked for", r.Location, passwordPage)
		}
		page := c.get(led)
		wantStatus(t, "the forced password page", page, http.StatusOK)
		wantBody(t, "the forced password page", page, org.PasswordChangeRequiredMessage, `id="logout"`,
			`<input type="hidden" name="next" value="/catalog?q=hukou">`, "修改后将打开您要访问的页面")
		wantNoBody(t, "the forced password page", page, `class="sidenav"`, `id="change-password-link"`, `id="back-link"`, `href="/catalog"`)
		m := csrfRE.FindStringSubmatch(page.Body)
		if m == nil {
			t.Fatal("no CSRF token on the password page")
		}
		token := m[1]
		r = change(token, "Own-Choice-2027", wanted)
		wantStatus(t, "a new password typed twice differently", r, http.StatusBadRequest)
		wantBody(t, "a new password typed twice differently", r, `<input type="hidden" name="next" value="/catalog?q=hukou">`)
		wantNoBody(t, "a new password typed twice differently", r, `class="sidenav"`)
		if r = change(token, own, wanted); r.Status != http.StatusSeeOther || r.Location != wanted {
			t.Fatalf("change with next %s: %d to %q\n%s", wanted, r.Status, r.Location, r.Body)
		}
		r = c.get(wanted)
		wantStatus(t, "the page asked for, after the change", r, http.StatusOK)
		wantBody(t, "the page asked for, after the change", r, `class="sidenav"`, `id="change-password-link"`)
		wantNoBody(t, "the password page after the change", c.get(passwordPage), "修改后将打开您要访问的页面")

		for _, next := range []string{"", "/", "//evil.example/", "https://evil.example/catalog", "/login"} {
			reset()
			logIn(next)
			page := c.get(passwordPage + "?next=" + url.QueryEscape(next))
			wantNoBody(t, "the forced password page with next "+next, page, `name="next"`, "修改后将打开您要访问的页面")
			wantBody(t, "the forced password page with next "+next, page, "修改后即可使用全部功能")
			m := csrfRE.FindStringSubmatch(page.Body)
			if m == nil {
				t.Fatal("no CSRF token on the password page")
			}
			if r := change(m[1], own, next); r.Status != http.StatusSeeOther || r.Location != passwordPage+"?msg=changed" {
				t.Errorf("change with next %q: %d to %q, want 303 to %s?msg=changed", next, r.Status, r.Location, passwordPage)
			}
		}
	})
}
