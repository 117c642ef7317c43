package e2e

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestAppsCreateSearchRevoke creates an app as the operator, its
// department typed in part and chosen among the suggestions htmx fetches,
// finds it by the apps page's name search, and revokes its key, which
// leads back to the search.
func TestAppsCreateSearchRevoke(t *testing.T) {
	b := newBrowser(t)
	s := newSite(t, sqldbtest.SQLite(t))
	b.login(s, "operator")
	b.Do("open the apps page",
		chromedp.Navigate(s.URL+"/apps"),
		chromedp.WaitVisible(chromedp.ID("app-dept")))
	if got := run(b, "read the department", chromedp.Value(chromedp.ID("app-dept"))); got != "佛山市南海区政务服务数据管理局" {
		t.Errorf("department field holds %q, want the operator's department", got)
	}
	b.Do("type a part of a department's name",
		chromedp.Clear(chromedp.ID("app-dept")),
		chromedp.SendKeys(chromedp.ID("app-dept"), "市场"),
		chromedp.WaitReady(chromedp.CSS("#app-dept-list option")))
	suggested := run(b, "read the suggestions",
		chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#app-dept-list option"), o => o.value)`))
	if !slices.Equal(suggested, []string{"佛山市南海区市场监督管理局"}) {
		t.Fatalf("suggestions for 市场: %v, want the market regulator", suggested)
	}
	b.Do("choose it and create the app",
		chromedp.SetValue(chromedp.ID("app-dept"), suggested[0]),
		chromedp.SendKeys(chromedp.ID("app-name"), "市场主体登记系统"),
		chromedp.Click(chromedp.CSS(`input[name=scopes][value="records.write"]`)),
		chromedp.Click(chromedp.ID("create-app")),
		chromedp.WaitVisible(chromedp.ID("api-key")))
	apps, _, err := org.FindAppListings(context.Background(), s.DB.Read(), org.AppFilter{Q: "市场主体登记系统"})
	if err != nil {
		t.Fatal(err)
	}
	if len(apps) != 1 || apps[0].DepartmentName != "佛山市南海区市场监督管理局" {
		t.Fatalf("apps after creation: %+v, want one of the market regulator", apps)
	}

	b.Do("search the apps",
		chromedp.Click(chromedp.ID("back-to-apps")),
		chromedp.WaitVisible(chromedp.ID("app-q")),
		chromedp.SendKeys(chromedp.ID("app-q"), "登记"),
		chromedp.Click(chromedp.ID("app-search")),
		chromedp.WaitVisible(chromedp.ID("app-clear")))
	if got := b.Text("#app-count"); got != "共 1 个，名称含“登记”" {
		t.Errorf("count after the search: %q", got)
	}
	// A key's revocation asks 确认吊销 first: the browser will not send
	// the form without it.
	b.Do("confirm the key's revocation", chromedp.Click(chromedp.CSS(`form[action*="/keys/"] input[name="confirm"]`)))
	b.post("revoke the key", chromedp.Click(chromedp.CSS(`form[action*="/keys/"] button`)), "密钥已吊销")
	u, err := url.Parse(b.Location())
	if err != nil || u.Query().Get("q") != "登记" {
		t.Errorf("after revoking: at %q, want the search 登记", b.Location())
	}
	if got := b.Texts(".app td:nth-child(4)"); !slices.Equal(got, []string{"已吊销"}) {
		t.Errorf("key status after revoking: %v", got)
	}
	if got := b.Text("#app-count"); !strings.Contains(got, "名称含“登记”") {
		t.Errorf("count after revoking: %q, want the search kept", got)
	}
	b.Check()
}
