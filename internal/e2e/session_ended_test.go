package e2e

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

const (
	typedName     = "户籍人口基本信息"
	typedAbstract = "辖区户籍人口的身份和户籍登记信息"
)

// fillEntryForm opens the compile form and types a name and an abstract,
// leaving the rest blank: saved, it is refused (422) for what is missing,
// which shows that it reached the form's handler.
func fillEntryForm(b *browser, s *site) {
	b.t.Helper()
	b.Do("open the compile form", chromedp.Navigate(s.URL+"/catalog/new"), chromedp.WaitVisible(chromedp.ID("entry-form")))
	b.Do("type a name and an abstract",
		chromedp.SendKeys(chromedp.ID("f-name"), typedName),
		chromedp.SendKeys(chromedp.ID("f-abstract"), typedAbstract))
}

// endSessions ends every session, as logging out in another tab, a
// password change or an administrator's change of the account does.
func endSessions(t *testing.T, s *site) {
	t.Helper()
	if _, err := s.DB.Write().ExecContext(context.Background(), `DELETE FROM sessions`); err != nil {
		t.Fatal(err)
	}
}

// typed returns the name and abstract the compile form shows.
func typed(b *browser) (string, string) {
	b.t.Helper()
	return run(b, "read the name", chromedp.Value(chromedp.ID("f-name"))),
		run(b, "read the abstract", chromedp.Value(chromedp.ID("f-abstract")))
}

// saveAgain saves the form shown and checks that its handler took it:
// refused for the fields left blank, the typed name kept.
func saveAgain(b *browser) {
	b.t.Helper()
	b.Do("save again", chromedp.Click(chromedp.ID("save-entry")), chromedp.WaitVisible(chromedp.ID("form-errors")))
	if name, _ := typed(b); name != typedName {
		b.t.Errorf("name after saving again = %q, want %q", name, typedName)
	}
	b.Check("status of 422")
}

// TestFormAfterSessionEnded fills the compile form, has its session end,
// and saves: the login page says that nothing was saved and to go back
// twice once logged in; logging in opens the form empty, and two steps
// back is the form with what was typed, which saves with the new session.
// What the notice (web.endedNotice) says is what Chromium does.
func TestFormAfterSessionEnded(t *testing.T) {
	b := newBrowser(t)
	s := newSite(t, sqldbtest.SQLite(t))
	b.login(s, "police.admin")
	fillEntryForm(b, s)
	endSessions(t, s)

	b.Do("save without a session", chromedp.Click(chromedp.ID("save-entry")), chromedp.WaitVisible(chromedp.ID("username")))
	notice := b.Text("#login-notice")
	for _, want := range []string{"刚才提交的内容未保存", "“后退”按钮回到填写过的那一页（通常按两次），已填写的内容仍在"} {
		if !strings.Contains(notice, want) {
			t.Errorf("login page notice %q lacks %q", notice, want)
		}
	}
	if loc, err := url.Parse(b.Location()); err != nil || loc.RawQuery != "ended=1&next=%2Fcatalog%2Fnew" {
		t.Errorf("login page at %s, want ended=1 and next alone (no form content)", b.Location())
	}
	b.Do("log in",
		chromedp.SendKeys(chromedp.ID("username"), "police.admin"),
		chromedp.SendKeys(chromedp.ID("password"), Password),
		chromedp.Click(chromedp.ID("login-submit")),
		chromedp.WaitVisible(chromedp.ID("entry-form")))
	if name, _ := typed(b); name != "" {
		t.Errorf("the form after logging in shows name %q, want it empty (a fresh form)", name)
	}
	for i := range 2 {
		b.Do("back", chromedp.NavigateBack(), chromedp.WaitVisible(chromedp.ID("entry-form")))
		if name, abstract := typed(b); i == 1 && (name != typedName || abstract != typedAbstract) {
			t.Errorf("two steps back: name %q, abstract %q, want what was typed", name, abstract)
		}
	}
	saveAgain(b)
}

// TestStaleFormAfterLoginAgain fills the compile form, has its session
// end and logs in again in another tab, and saves: the page says 页面已过期
// and to go back and send again; one step back is the form with what was
// typed, which saves with the new session.
func TestStaleFormAfterLoginAgain(t *testing.T) {
	b := newBrowser(t)
	s := newSite(t, sqldbtest.SQLite(t))
	b.login(s, "police.admin")
	fillEntryForm(b, s)
	endSessions(t, s)

	other, cancel := chromedp.NewContext(b.ctx)
	defer cancel()
	if err := chromedp.Do(other,
		chromedp.Navigate(s.URL+"/login"),
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), "police.admin"),
		chromedp.SendKeys(chromedp.ID("password"), Password),
		chromedp.Click(chromedp.ID("login-submit")),
		chromedp.WaitVisible(chromedp.ID("user-name"))); err != nil {
		t.Fatalf("log in again in another tab: %v", err)
	}

	b.Do("save with the earlier session's token", chromedp.Click(chromedp.ID("save-entry")), chromedp.WaitVisible(chromedp.CSS(".error-card")))
	if got := b.Text(".error-card h1"); got != "页面已过期" {
		t.Errorf("title %q, want 页面已过期", got)
	}
	if got := b.Text(".error-message"); !strings.Contains(got, "请按浏览器的“后退”按钮回到刚才的页面，已填写的内容仍在") {
		t.Errorf("message %q, want it to say to go back", got)
	}
	b.Check("status of 403")
	b.Do("back", chromedp.NavigateBack(), chromedp.WaitVisible(chromedp.ID("entry-form")))
	if name, abstract := typed(b); name != typedName || abstract != typedAbstract {
		t.Errorf("one step back: name %q, abstract %q, want what was typed", name, abstract)
	}
	saveAgain(b)
}
