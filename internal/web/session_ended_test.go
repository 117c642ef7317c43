package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestFormAfterSessionEnded: a form sent after its session ended is sent
// to the login page with ended=1 beside next, where it had next alone and
// the login page said nothing; the login page then says that the
// submission was not saved and how to get the typed text back (but for
// the rows added on the page, and with the rows removed there), and keeps
// saying it after a failed login. The form's content is in neither the
// URL nor a cookie. A GET without a session, or the login page opened
// alone, says none of it. On both engines.
func TestFormAfterSessionEnded(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		anon := f.client(t)
		const secret = "辖区户籍人口的身份信息"
		r := anon.post("/catalog/new", url.Values{"name": {"户籍人口基本信息"}, "abstract": {secret}})
		const want = "/login?ended=1&next=%2Fcatalog%2Fnew"
		if r.Status != http.StatusSeeOther || r.Location != want {
			t.Fatalf("form without a session: %d to %q, want 303 to %q", r.Status, r.Location, want)
		}
		if c := r.Header.Values("Set-Cookie"); len(c) != 0 {
			t.Errorf("form without a session set cookies %q", c)
		}
		if r := anon.post("/catalog/new", url.Values{"name": {"x"}}); r.Location != want {
			t.Errorf("form without a session: to %q, want %q", r.Location, want)
		}
		if r := anon.get("/catalog/new", "HX-Request", "true"); r.Header.Get("HX-Redirect") != "/login?next=%2Fcatalog%2Fnew" {
			t.Errorf("htmx GET without a session: HX-Redirect %q", r.Header.Get("HX-Redirect"))
		}

		const notice = "刚才提交的内容未保存"
		page := anon.get(want)
		wantBody(t, "login page after the lost form", page, notice, "按浏览器的“后退”按钮回到填写过的那一页（通常按两次）",
			"新添加的行（如信息项）需重新添加，删除过的行会重新出现",
			`name="ended" value="1"`, `name="next" value="/catalog/new"`)
		wantNoBody(t, "login page after the lost form", page, secret)
		failed := anon.post("/login", url.Values{"username": {"police.admin"}, "password": {"not-the-password"}, "next": {"/catalog/new"}, "ended": {"1"}})
		wantBody(t, "failed login after the lost form", failed, "用户名或密码错误", notice)
		wantNoBody(t, "login page alone", anon.get("/login?next=%2Fcatalog%2Fnew"), notice)
		wantNoBody(t, "GET without a session", anon.get("/catalog/new"), notice)
		if r := anon.get("/catalog/new"); r.Location != "/login?next=%2Fcatalog%2Fnew" {
			t.Errorf("GET without a session: to %q, want the login page with next alone", r.Location)
		}

		r = anon.post("/login", url.Values{"username": {"police.admin"}, "password": {password}, "next": {"/catalog/new"}, "ended": {"1"}})
		if r.Status != http.StatusSeeOther || r.Location != "/catalog/new" {
			t.Errorf("login after the lost form: %d to %q, want 303 to /catalog/new", r.Status, r.Location)
		}
	})
}

// TestStaleFormTitled: a form sent with an earlier session's CSRF token
// (a tab opened before logging in again) is refused as before, 403 with
// the code csrf_failed, but titled 页面已过期 and told to go back to the
// form (where the rows added on it are not) and send it again, where it
// was titled 无权访问 and told to reload the page, which sends the same
// stale form again. On both engines.
func TestStaleFormTitled(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.loggedIn(t, "police.admin")
		r := c.post("/catalog/new", url.Values{"csrf_token": {"an-earlier-sessions-token"}, "name": {"户籍人口基本信息"}})
		wantStatus(t, "stale form", r, http.StatusForbidden)
		wantBody(t, "stale form", r, "<h1>页面已过期</h1>", "错误代码 csrf_failed", "本次提交未执行",
			"请按浏览器的“后退”按钮回到刚才的页面，已填写的内容仍在", "新添加的行（如信息项）需重新添加，删除过的行会重新出现")
		wantNoBody(t, "stale form", r, "无权访问", "刷新页面")
	})
}
