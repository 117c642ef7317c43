package e2e

import (
	"context"
	"slices"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestItemRowsWithoutScripts: with scripts off, as in an office whose
// browsers run none, 添加信息项 and 删除 work on the compile form: each
// posts the form, which comes back with a row more or less, what was typed
// and the focus in the row added or the one that took the removed row's
// place, and saves nothing. Enter in a field still saves (the form's first
// submit button is a hidden 保存, ahead of them). Before, both buttons
// worked through scripts alone and did nothing.
func TestItemRowsWithoutScripts(t *testing.T) {
	b := newBrowser(t)
	s := newSite(t, sqldbtest.SQLite(t))
	b.login(s, "police.admin")
	b.Do("turn scripts off", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	}))
	fillEntryForm(b, s)
	if run(b, "look for htmx", chromedp.Evaluate[bool](`typeof htmx !== "undefined"`)) {
		t.Fatal("htmx runs on the page: scripts are not off")
	}
	count := func(table string) int {
		var n int
		if err := s.DB.Read().QueryRowContext(t.Context(), `SELECT count(*) FROM `+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	audited := count("audit_log")
	b.Do("type two item names",
		chromedp.SendKeys(itemRow(1, ".item-name"), "公民身份号码"),
		chromedp.SendKeys(itemRow(2, ".item-name"), "姓名"))

	b.Do("add a row",
		chromedp.Click(chromedp.ID("add-item")),
		chromedp.WaitVisible(chromedp.ID("item-name-r3")),
		chromedp.WaitVisible(chromedp.ID("save-entry")))
	if got, want := itemNames(b), []string{"公民身份号码", "姓名", ""}; !slices.Equal(got, want) {
		t.Errorf("after 添加信息项: items %q, want %q", got, want)
	}
	if name, abstract := typed(b); name != typedName || abstract != typedAbstract {
		t.Errorf("after 添加信息项: name %q, abstract %q, want what was typed", name, abstract)
	}
	if got := b.activeElement(); got != "item-name-r3" {
		t.Errorf("after 添加信息项, the focus is on %q, want the new row's name", got)
	}

	b.Do("type in the new row and remove the first",
		chromedp.SendKeys(itemRow(3, ".item-name"), "户籍地址"),
		chromedp.Click(itemRow(1, ".remove-item")),
		chromedp.WaitNotPresent(chromedp.ID("item-name-r3")),
		chromedp.WaitVisible(chromedp.ID("save-entry")))
	if got, want := itemNames(b), []string{"姓名", "户籍地址"}; !slices.Equal(got, want) {
		t.Errorf("after 删除 of the first row: items %q, want %q", got, want)
	}
	if got := b.activeElement(); got != "item-name-r1" {
		t.Errorf("after 删除 of the first row, the focus is on %q, want the name of the row in its place", got)
	}
	if n := count("catalog_entries"); n != 0 {
		t.Errorf("%d entries stored by 添加信息项 and 删除, want none", n)
	}
	if n := count("audit_log"); n != audited {
		t.Errorf("%d audit rows written by 添加信息项 and 删除, want none", n-audited)
	}

	b.Do("press Enter in the name", chromedp.SendKeys(chromedp.ID("f-name"), kb.Enter), chromedp.WaitVisible(chromedp.ID("form-errors")))
	if got, want := itemNames(b), []string{"姓名", "户籍地址"}; !slices.Equal(got, want) {
		t.Errorf("after Enter: items %q, want %q (saved, refused for what is missing)", got, want)
	}
	b.Check("status of 422")
}
