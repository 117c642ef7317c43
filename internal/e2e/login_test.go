package e2e

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestLoginLogout opens the console logged out, is sent to the login page,
// logs in with the keyboard, sees the home page with the user's name and
// navigation, checks the audit chain through htmx, and logs out.
func TestLoginLogout(t *testing.T) {
	b := newBrowser(t)
	s := newSite(t, sqldbtest.SQLite(t))

	b.Do("open /", chromedp.Navigate(s.URL+"/"), chromedp.WaitVisible(chromedp.ID("username")))
	loc, err := url.Parse(b.Location())
	if err != nil || loc.Path != "/login" || loc.Query().Get("next") != "/" {
		t.Fatalf("opening / led to %s, want /login?next=/", b.Location())
	}

	b.Do("wrong password",
		chromedp.SendKeys(chromedp.ID("username"), "operator"),
		chromedp.SendKeys(chromedp.ID("password"), "not-the-password"),
		chromedp.Click(chromedp.ID("login-submit")),
		chromedp.WaitVisible(chromedp.ID("login-error")))
	if got := b.Text("#login-error"); got != "用户名或密码错误" {
		t.Errorf("login error = %q, want 用户名或密码错误", got)
	}
	b.Check("status of 401") // the failed login's page

	b.Do("log in",
		chromedp.SendKeys(chromedp.ID("password"), Password), // the username is kept
		chromedp.Click(chromedp.ID("login-submit")),
		chromedp.WaitVisible(chromedp.ID("user-name")))
	if loc := b.Location(); !strings.HasSuffix(loc, "/") || strings.Contains(loc, "login") {
		t.Errorf("after login at %s, want /", loc)
	}
	if got := b.Text("#user-name"); got != "王主管" {
		t.Errorf("user name in header = %q, want 王主管", got)
	}
	if got := b.Text(".user-meta"); !strings.Contains(got, "佛山市南海区政务服务数据管理局") || !strings.Contains(got, "平台管理员") {
		t.Errorf("header = %q, want department and role", got)
	}
	if got := b.Text("h1"); got != "工作台" {
		t.Errorf("home heading = %q, want 工作台", got)
	}
	nav := b.Texts(".sidenav a")
	if want := []string{"首页", "数据资源目录", "数据归集", "部门与账号", "应用与密钥", "审计日志", "工作日历"}; !slices.Equal(nav, want) {
		t.Errorf("navigation = %v, want %v", nav, want)
	}

	// htmx: the audit check replaces a part of the page, with no navigation.
	b.Do("verify audit chain",
		chromedp.Click(chromedp.CSS(`.sidenav a[href="/audit"]`)),
		chromedp.WaitVisible(chromedp.ID("verify")),
		chromedp.Click(chromedp.ID("verify")),
		chromedp.WaitVisible(chromedp.ID("verify-outcome")))
	if got := b.Text("#verify-outcome"); !strings.Contains(got, "审计链完整") {
		t.Errorf("audit check = %q, want 审计链完整", got)
	}
	if loc := b.Location(); !strings.HasSuffix(loc, "/audit") {
		t.Errorf("after the htmx check at %s, want still /audit", loc)
	}

	b.Do("log out",
		chromedp.Click(chromedp.ID("logout")),
		chromedp.WaitVisible(chromedp.ID("username")))
	if got := b.Text(".notice"); got != "您已安全退出。" {
		t.Errorf("after logout notice = %q", got)
	}
	b.Do("open / again", chromedp.Navigate(s.URL+"/"), chromedp.WaitVisible(chromedp.ID("username")))
	b.Check()
}
