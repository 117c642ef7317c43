package e2e

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// The tests of this file drive the console as its accessibility audit
// (WCAG 2.1 AA, GB/T 37668) did: on a phone's width, by keyboard, typing
// through an input method.

// policeDraft stores a draft entry of the police department, with data
// items, and an app of that department with a key; it returns the
// entry's id.
func policeDraft(t *testing.T, s *site) int64 {
	t.Helper()
	ctx := context.Background()
	dept := s.Users["police.admin"].DepartmentID
	by := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "e2e", Name: "e2e", DepartmentID: dept}, Editor: true}
	res := catalog.Resource{
		Name: "户籍人口基本信息", Abstract: "辖区户籍人口的身份和户籍登记信息",
		Classification: catalog.Classification{Class: catalog.Basic, CategoryCode: "01", SubcategoryCode: "001", SubcategoryName: "户籍信息"},
		Format:         "database",
		Items: []catalog.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true},
			{Name: "姓名", Type: "C", Length: 50}, {Name: "户籍地址", Type: "C", Length: 200, Description: "户口登记的住址，至门牌号"}},
		ShareType: catalog.Unconditional, ShareMethods: []catalog.ShareMethod{"query"}, ShareScope: "全区政务部门",
		OpenAttribute: catalog.NotOpen, UpdateFrequency: "daily", SecurityLevel: 2, NetworkZone: "egov_extranet",
		Domain: "10", SubjectKind: catalog.Person,
	}
	var id int64
	err := s.DB.Tx(ctx, func(tx *sqldb.Tx) error {
		e, err := catalog.Create(ctx, tx, by, dept, res, time.Now())
		if err != nil {
			return err
		}
		id = e.ID
		_, _, err = org.CreateApp(ctx, tx, by.Actor, org.NewApp{Name: "户籍窗口核验系统", DepartmentID: dept, Scopes: []string{"data.read"}}, time.Now())
		return err
	})
	if err != nil {
		t.Fatalf("store the police draft and app: %v", err)
	}
	return id
}

// TestReflowNarrow: the console's pages fit a phone's width, 375 and 320
// CSS pixels, without scrolling sideways (WCAG 2.1 1.4.10): the compile
// form's fieldsets no longer keep their table's width, the apps' key
// tables scroll in their own box, inline forms wrap, and no field is wider
// than its container.
func TestReflowNarrow(t *testing.T) {
	b := newBrowser(t)
	s := newSite(t, sqldbtest.SQLite(t))
	publishMarketEntry(t, s)
	draft := policeDraft(t, s)
	pages := map[string][]string{
		// Each list ends on a staff page, where the test logs out.
		"police.admin": {"/public/catalog", "/catalog/new", fmt.Sprintf("/catalog/%d/edit", draft), fmt.Sprintf("/catalog/%d", draft), "/apps", "/catalog"},
		"operator":     {"/audit", "/apps", "/org"},
	}
	for _, who := range []string{"police.admin", "operator"} {
		b.login(s, who)
		for _, width := range []int64{375, 320} {
			b.Do("narrow the window", chromedp.EmulateViewport(width, 800))
			for _, path := range pages[who] {
				b.Do("open "+path, chromedp.Navigate(s.URL+path), chromedp.WaitVisible(chromedp.ID("main")))
				got := run(b, "measure "+path, chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, window.innerWidth]`))
				if got[0] > got[1] {
					t.Errorf("%s at %dpx: the page is %dpx wide, scrolls sideways: %v", path, width, got[0],
						run(b, "find the overflow", chromedp.Evaluate[[]string](overflowing)))
				}
			}
		}
		b.Do("widen the window", chromedp.EmulateReset())
		b.logout()
	}
	b.Check()
}

// overflowing names the elements past the window's right edge that hold
// no element past it: what widens the page.
const overflowing = `Array.from(document.querySelectorAll("body *")).filter(e =>
  e.getBoundingClientRect().right > innerWidth + 1 &&
  !Array.from(e.children).some(c => c.getBoundingClientRect().right > innerWidth + 1)
).slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className ? "." + e.className : "") +
  " " + Math.round(e.getBoundingClientRect().right) + "px")`

// activeElement describes the element that has the focus.
func (b *browser) activeElement() string {
	b.t.Helper()
	return run(b, "read the focus", chromedp.Evaluate[string](
		`(e => e.id || e.className || e.tagName)(document.activeElement)`))
}

// TestSkipLinkKeyboard: the first Tab of a page reaches 跳到主要内容, shown
// on the screen, and Enter on it moves the focus to the main part, so that
// the next Tab is in it, past the navigation.
func TestSkipLinkKeyboard(t *testing.T) {
	b := newBrowser(t)
	s := newSite(t, sqldbtest.SQLite(t))
	b.login(s, "police.admin")
	for _, path := range []string{"/catalog", "/public/catalog"} {
		b.Do("open "+path, chromedp.Navigate(s.URL+path), chromedp.WaitVisible(chromedp.ID("q")), chromedp.KeyEvent(kb.Tab))
		if got := b.activeElement(); got != "skip-link" {
			t.Fatalf("%s: the first Tab reaches %q, want the skip link", path, got)
		}
		if !run(b, "is it shown", chromedp.Evaluate[bool](`(r => r.top >= 0 && r.bottom <= innerHeight && r.width > 0)(document.activeElement.getBoundingClientRect())`)) {
			t.Errorf("%s: the focused skip link is off the screen", path)
		}
		b.Do("follow it", chromedp.KeyEvent(kb.Enter), chromedp.KeyEvent(kb.Tab))
		if !run(b, "where is the focus", chromedp.Evaluate[bool](`document.getElementById("main").contains(document.activeElement)`)) {
			t.Errorf("%s: after the skip link, Tab reaches %q, outside the main part", path, b.activeElement())
		}
	}
	b.Check()
}

// TestLiveSearchIME: typing a search in pinyin, the live search waits for
// the composition's end: "geti" being composed is not searched, and the
// search for the 个体 it becomes replaces the page's address rather than
// adding history entries.
func TestLiveSearchIME(t *testing.T) {
	b := newBrowser(t)
	s := newSite(t, sqldbtest.SQLite(t))
	publishMarketEntry(t, s)
	b.Do("open the public catalog", chromedp.Navigate(s.URL+"/public/catalog"), chromedp.WaitVisible(chromedp.ID("q")))
	history := run(b, "count the history", chromedp.Evaluate[int](`history.length`))
	before := b.Text("#result-count")
	b.Do("compose geti", chromedp.Focus(chromedp.ID("q")), chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		for _, text := range []string{"g", "ge", "get", "geti"} {
			n := int64(len(text))
			if _, err := cdp.Call(ctx, tg, input.ImeSetComposition, input.ImeSetCompositionParams{Text: text, SelectionStart: n, SelectionEnd: n}); err != nil {
				return err
			}
		}
		return nil
	}), chromedp.Sleep(time.Second))
	if got := b.Text("#result-count"); got != before {
		t.Errorf("while composing, the count became %q (was %q): searched the pinyin", got, before)
	}
	if loc := b.Location(); strings.Contains(loc, "q=") {
		t.Errorf("while composing, the address became %s", loc)
	}
	b.Do("commit 个体", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, input.InsertText, input.InsertTextParams{Text: "个体"})
		return err
	}))
	run(b, "wait for the search", chromedp.Poll[bool](`document.querySelector('#result-count').textContent.includes('个体')`,
		chromedp.WithPollingTimeout(10*time.Second)))
	if got := b.Texts(".entry-hit h3 a"); len(got) != 1 || got[0] != "个体工商户经营者信息" {
		t.Errorf("search 个体 found %v", got)
	}
	u, err := url.Parse(b.Location())
	if err != nil || u.Query().Get("q") != "个体" {
		t.Errorf("after the search, the address is %s, want q=个体", b.Location())
	}
	if n := run(b, "count the history", chromedp.Evaluate[int](`history.length`)); n != history {
		t.Errorf("the live search added %d history entries", n-history)
	}
	b.Check()
}

// TestItemRowFocus: on the compile form, a data item row added takes the
// focus in its name box, and removing a row gives the focus to the name of
// the row beside it, or to 添加信息项 when none is left, not to the page.
func TestItemRowFocus(t *testing.T) {
	b := newBrowser(t)
	s := newSite(t, sqldbtest.SQLite(t))
	b.login(s, "police.admin")
	b.Do("open the compile form", chromedp.Navigate(s.URL+"/catalog/new"), chromedp.WaitVisible(chromedp.ID("entry-form")))
	ids := func() []string {
		return run(b, "read the rows", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#item-rows .item-name'), e => e.id)`))
	}
	b.Do("add a row",
		chromedp.Click(chromedp.ID("add-item")),
		chromedp.WaitVisible(chromedp.CSS(`#item-rows tr:nth-child(3) .item-name`)))
	run(b, "wait for htmx to settle", chromedp.Poll[bool](
		`document.querySelectorAll('.htmx-added, .htmx-settling, .htmx-swapping, .htmx-request').length === 0`))
	rows := ids()
	if got := b.activeElement(); len(rows) != 3 || got != rows[2] {
		t.Errorf("after adding a row, the focus is on %q, want its name %s", got, rows[2])
	}
	for i, want := range []string{rows[1], rows[1], "add-item"} {
		// Remove the first row, the row after it takes the focus; then
		// the last, the row before; then the only one.
		n := []int{1, 2, 1}[i]
		b.Do("remove a row", chromedp.Click(chromedp.CSS(fmt.Sprintf(`#item-rows tr:nth-child(%d) .remove-item`, n))))
		if got := b.activeElement(); got != want {
			t.Errorf("after removing row %d, the focus is on %q, want %s", n, got, want)
		}
	}
	b.Check()
}
