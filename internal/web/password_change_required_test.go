package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestPasswordChangeRequired: an account the operator creates in the
// console logs in, but every page leads to the change of its password,
// which tells why (请先修改初始密码), until it has changed it; an
// administrator's reset leads there again. The seeded accounts, set up
// ready to use, go straight on. The password page tells it the API's
// refusal (org.PasswordChangeRequiredMessage), and the accounts list and
// the account's page show the operator 须修改初始密码 until the change,
// where they said 正常.
func TestPasswordChangeRequired(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		op := f.client(t)
		opToken := op.login("operator")
		wantStatus(t, "a seeded account's home", op.get("/"), http.StatusOK)
		const initial = "Initial-Pass-2026"
		r := op.post("/org/users/new", url.Values{"csrf_token": {opToken}, "username": {"police.clerk"}, "display_name": {"钱办事"},
			"department": {"公安分局"}, "role": {"reviewer"}, "password": {initial}, "password_confirm": {initial}})
		wantStatus(t, "create", r, http.StatusSeeOther)
		u, err := org.UserByName(t.Context(), db.Read(), "police.clerk")
		if err != nil {
			t.Fatal(err)
		}
		accountPage, list := "/org/users/"+strconv.FormatInt(u.ID, 10), "/org?user_q=police.clerk"
		const mustChange = `<span class="tag tag-warn">须修改初始密码</span>`
		shown := func(when string, forced bool) {
			t.Helper()
			state := `<dd id="account-status"><span class="tag tag-ok">正常</span></dd>`
			if forced {
				state = `<dd id="account-status">` + mustChange + `</dd>`
			}
			wantBody(t, when+": the account page", op.get(accountPage), state)
			if r := op.get(list); forced {
				wantBody(t, when+": the accounts list", r, mustChange)
			} else {
				wantNoBody(t, when+": the accounts list", r, mustChange)
				wantBody(t, when+": the accounts list", r, `<span class="tag tag-ok">正常</span>`)
			}
		}
		shown("after the creation", true)
		clerk := f.client(t)
		logIn := func(pw string) string {
			t.Helper()
			r := clerk.post("/login", url.Values{"username": {"police.clerk"}, "password": {pw}})
			if r.Status != http.StatusSeeOther {
				t.Fatalf("login: %d\n%s", r.Status, r.Body)
			}
			page := clerk.get(passwordPage)
			wantStatus(t, "the password page", page, http.StatusOK)
			wantBody(t, "the password page", page, org.PasswordChangeRequiredMessage)
			m := csrfRE.FindStringSubmatch(page.Body)
			if m == nil {
				t.Fatal("no CSRF token on the password page")
			}
			return m[1]
		}
		// led is where a request for path is led: the password page,
		// keeping the page asked for but home (TestPasswordChangeKeepsNext).
		led := func(path string) string {
			if path == "/" {
				return passwordPage
			}
			return passwordPage + "?next=" + url.QueryEscape(path)
		}
		forced := func(when, token string) {
			t.Helper()
			for _, path := range []string{"/", "/catalog", "/org/users/" + strconv.FormatInt(u.ID, 10), "/calendar"} {
				if r := clerk.get(path); r.Status != http.StatusSeeOther || r.Location != led(path) {
					t.Fatalf("%s: GET %s: %d to %q, want 303 to %s", when, path, r.Status, r.Location, led(path))
				}
			}
			if r := clerk.get("/catalog", "HX-Request", "true"); r.Header.Get("HX-Redirect") != led("/catalog") {
				t.Fatalf("%s: htmx GET /catalog: %d, HX-Redirect %q", when, r.Status, r.Header.Get("HX-Redirect"))
			}
			r := clerk.post("/catalog/new", url.Values{"csrf_token": {token}, "name": {"婚姻登记信息"}})
			if r.Status != http.StatusSeeOther || r.Location != led("/catalog/new") {
				t.Fatalf("%s: POST /catalog/new: %d to %q", when, r.Status, r.Location)
			}
		}
		token := logIn(initial)
		forced("before the change", token)
		const own = "Own-Choice-2026"
		r = clerk.post(passwordPage, url.Values{"csrf_token": {token}, "current_password": {initial}, "password": {own},
			"password_confirm": {own}})
		if r.Status != http.StatusSeeOther || r.Location != passwordPage+"?msg=changed" {
			t.Fatalf("change: %d to %q\n%s", r.Status, r.Location, r.Body)
		}
		wantNoBody(t, "the password page after the change", clerk.get(passwordPage), "请先修改初始密码")
		wantStatus(t, "home after the change", clerk.get("/"), http.StatusOK)
		shown("after the change", false)

		r = op.post("/org/users/"+strconv.FormatInt(u.ID, 10)+"/password", url.Values{"csrf_token": {opToken},
			"password": {initial}, "password_confirm": {initial}})
		wantStatus(t, "reset", r, http.StatusSeeOther)
		shown("after a reset", true)
		forced("after a reset", logIn(initial))
	})
}

const passwordPage = "/account/password"
