package e2e

import (
	"context"
	"fmt"
	"net/url"
	"slices"
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

// itemRow selects the class cls in the compile form's data item row n
// (from 1).
func itemRow(n int, cls string) chromedp.CSS {
	return chromedp.CSS(fmt.Sprintf("#item-rows tr:nth-child(%d) %s", n, cls))
}

// itemNames returns the names of the compile form's data item rows.
func itemNames(b *browser) []string {
	b.t.Helper()
	return run(b, "read the item names", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#item-rows .item-name'), e => e.value)`))
}

// endedLogin saves the form without a session and logs in again from the
// login page, whose notice says that nothing was saved, to go back twice
// once logged in, and that the rows added on the page must be added again.
func endedLogin(b *browser) {
	b.t.Helper()
	b.Do("save without a session", chromedp.Click(chromedp.ID("save-entry")), chromedp.WaitVisible(chromedp.ID("username")))
	notice := b.Text("#login-notice")
	for _, want := range []string{"刚才提交的内容未保存", "“后退”按钮回到填写过的那一页（通常按两次），已填写的内容仍在",
		"新添加的行（如信息项）需重新添加，删除过的行会重新出现"} {
		if !strings.Contains(notice, want) {
			b.t.Errorf("login page notice %q lacks %q", notice, want)
		}
	}
	if loc, err := url.Parse(b.Location()); err != nil || loc.Query().Get("ended") != "1" || len(loc.Query()) != 2 {
		b.t.Errorf("login page at %s, want ended=1 and next alone (no form content)", b.Location())
	}
	b.Do("log in",
		chromedp.SendKeys(chromedp.ID("username"), "police.admin"),
		chromedp.SendKeys(chromedp.ID("password"), Password),
		chromedp.Click(chromedp.ID("login-submit")),
		chromedp.WaitVisible(chromedp.ID("entry-form")))
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
// The names typed in the rows the page came with are back too, where
// they were lost (the rows' fields were named anew on each render); the
// row added with 添加信息项 is not, as the notice says. What the notice
// (web.endedNotice) says is what Chromium does.
func TestFormAfterSessionEnded(t *testing.T) {
	b := newBrowser(t)
	s := newSite(t, sqldbtest.SQLite(t))
	b.login(s, "police.admin")
	fillEntryForm(b, s)
	b.Do("type two item names and add a row",
		chromedp.SendKeys(itemRow(1, ".item-name"), "公民身份号码"),
		chromedp.SendKeys(itemRow(2, ".item-name"), "姓名"),
		chromedp.Click(chromedp.ID("add-item")),
		chromedp.WaitVisible(itemRow(3, ".item-name")),
		chromedp.SendKeys(itemRow(3, ".item-name"), "户籍地址"))
	endSessions(t, s)

	endedLogin(b)
	if name, _ := typed(b); name != "" {
		t.Errorf("the form after logging in shows name %q, want it empty (a fresh form)", name)
	}
	for range 2 {
		b.Do("back", chromedp.NavigateBack(), chromedp.WaitVisible(chromedp.ID("entry-form")))
	}
	if name, abstract := typed(b); name != typedName || abstract != typedAbstract {
		t.Errorf("two steps back: name %q, abstract %q, want what was typed", name, abstract)
	}
	if got, want := itemNames(b), []string{"公民身份号码", "姓名"}; !slices.Equal(got, want) {
		t.Errorf("two steps back: items %q, want %q (the added row not back, as the notice says)", got, want)
	}
	saveAgain(b)
}

// TestEditFormAfterSessionEnded: as TestFormAfterSessionEnded, on the form
// of a stored entry: a stored item renamed and the abstract changed come
// back two steps back, where the item showed its stored name again (its
// row's fields were named anew on each render), and they are saved.
func TestEditFormAfterSessionEnded(t *testing.T) {
	b := newBrowser(t)
	s := newSite(t, sqldbtest.SQLite(t))
	id := policeDraft(t, s)
	b.login(s, "police.admin")
	const renamed, abstract = "户籍登记地址", "辖区户籍人口的身份、户籍登记和住址信息"
	b.Do("open the edit form", chromedp.Navigate(fmt.Sprintf("%s/catalog/%d/edit", s.URL, id)), chromedp.WaitVisible(chromedp.ID("entry-form")))
	b.Do("rename the third item and change the abstract",
		chromedp.Clear(itemRow(3, ".item-name")),
		chromedp.SendKeys(itemRow(3, ".item-name"), renamed),
		chromedp.Clear(chromedp.ID("f-abstract")),
		chromedp.SendKeys(chromedp.ID("f-abstract"), abstract))
	endSessions(t, s)

	endedLogin(b)
	for range 2 {
		b.Do("back", chromedp.NavigateBack(), chromedp.WaitVisible(chromedp.ID("entry-form")))
	}
	if _, got := typed(b); got != abstract {
		t.Errorf("two steps back: abstract %q, want %q", got, abstract)
	}
	if got, want := itemNames(b), []string{"公民身份号码", "姓名", renamed}; !slices.Equal(got, want) {
		t.Errorf("two steps back: items %q, want %q", got, want)
	}
	b.Do("save again", chromedp.Click(chromedp.ID("save-entry")), chromedp.WaitVisible(chromedp.ID("notice")))
	if got := b.Text("#notice"); got != "修改已保存。" {
		t.Errorf("after saving again, the entry page says %q, want 修改已保存。", got)
	}
	if got := b.Texts("#items td:nth-child(2)"); !slices.Contains(got, renamed) || slices.Contains(got, "户籍地址") {
		t.Errorf("saved entry's items %q, want %s in place of 户籍地址", got, renamed)
	}
	b.Check()
}

// TestStaleFormAfterLoginAgain fills the compile form, has its session
// end and logs in again in another tab, and saves: the page says 页面已过期
// and to go back and send again; one step back is the form with what was
// typed, but for the row added with 添加信息项, as the page says, which
// saves with the new session.
func TestStaleFormAfterLoginAgain(t *testing.T) {
	b := newBrowser(t)
	s := newSite(t, sqldbtest.SQLite(t))
	b.login(s, "police.admin")
	fillEntryForm(b, s)
	b.Do("type an item name and add a row",
		chromedp.SendKeys(itemRow(1, ".item-name"), "公民身份号码"),
		chromedp.Click(chromedp.ID("add-item")),
		chromedp.WaitVisible(itemRow(3, ".item-name")),
		chromedp.SendKeys(itemRow(3, ".item-name"), "户籍地址"))
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
	if got := b.Text(".error-message"); !strings.Contains(got, "请按浏览器的“后退”按钮回到刚才的页面，已填写的内容仍在") ||
		!strings.Contains(got, "新添加的行（如信息项）需重新添加") {
		t.Errorf("message %q, want it to say to go back, and to add the rows added again", got)
	}
	b.Check("status of 403")
	b.Do("back", chromedp.NavigateBack(), chromedp.WaitVisible(chromedp.ID("entry-form")))
	if name, abstract := typed(b); name != typedName || abstract != typedAbstract {
		t.Errorf("one step back: name %q, abstract %q, want what was typed", name, abstract)
	}
	if got, want := itemNames(b), []string{"公民身份号码", ""}; !slices.Equal(got, want) {
		t.Errorf("one step back: items %q, want %q (the added row not back, as the page says)", got, want)
	}
	saveAgain(b)
}
