package e2e

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// login logs in through the login page as username.
func (b *browser) login(s *site, username string) {
	b.t.Helper()
	b.Do("log in as "+username,
		chromedp.Navigate(s.URL+"/login"),
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), username),
		chromedp.SendKeys(chromedp.ID("password"), Password),
		chromedp.Click(chromedp.ID("login-submit")),
		chromedp.WaitVisible(chromedp.ID("user-name")))
}

// post clicks a form button whose POST redirects back to a page with a
// notice, waits for that page and checks that its notice says want.
func (b *browser) post(what string, button chromedp.Action[chromedp.Void], want string) {
	b.t.Helper()
	resp, err := chromedp.RunResponse(b.ctx, button)
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	if resp.Status != 200 {
		b.t.Fatalf("%s: page status %d", what, resp.Status)
	}
	if got := b.Text("#notice"); !strings.Contains(got, want) {
		b.t.Errorf("%s: notice %q, want %q", what, got, want)
	}
}

func (b *browser) logout() {
	b.t.Helper()
	b.Do("log out", chromedp.Click(chromedp.ID("logout")), chromedp.WaitVisible(chromedp.ID("username")))
}

// publishMarketEntry publishes, as the market regulator, an entry whose 姓名
// item overlaps the one the test compiles, so that the review meets a
// one-data-one-source conflict.
func publishMarketEntry(t *testing.T, s *site) {
	t.Helper()
	ctx := context.Background()
	var market, operator int64
	depts, err := org.Departments(ctx, s.DB.Read())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range depts {
		switch d.ShortName {
		case "市场监管局":
			market = d.ID
		case "数管局":
			operator = d.ID
		}
	}
	by := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "e2e", Name: "e2e", DepartmentID: market}, Editor: true}
	op := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "e2e-op", Name: "e2e", DepartmentID: operator}, Operator: true}
	res := catalog.Resource{
		Name: "个体工商户经营者信息", Abstract: "个体工商户经营者的身份与经营场所",
		Classification: catalog.Classification{Class: catalog.Departmental, CategoryCode: "10", CategoryName: "市场监管",
			SubcategoryCode: "001", SubcategoryName: "个体工商户"},
		Format: "database",
		Items: []catalog.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true},
			{Name: "姓名", Type: "C", Length: 50}, {Name: "经营场所", Type: "C", Length: 200}},
		ShareType: catalog.Unconditional, ShareMethods: []catalog.ShareMethod{"query"}, ShareScope: "全区政务部门",
		OpenAttribute: catalog.NotOpen, UpdateFrequency: "daily", SecurityLevel: 2, NetworkZone: "egov_extranet",
		Domain: "10", SubjectKind: catalog.Person,
	}
	now := time.Now()
	err = s.DB.Tx(ctx, func(tx *sqldb.Tx) error {
		e, err := catalog.Create(ctx, tx, by, market, res, now)
		if err != nil {
			return err
		}
		if _, err := catalog.Submit(ctx, tx, by, e.ID, now); err != nil {
			return err
		}
		_, err = catalog.Approve(ctx, tx, op, e.ID, now)
		return err
	})
	if err != nil {
		t.Fatalf("publish the market entry: %v", err)
	}
}

// TestCatalogCompileReviewPublish compiles an entry with two data items
// through the console form as a department administrator, submits it,
// reviews it as the operator (deciding the one-source conflict it raises),
// approves it, finds it with a two-character search, and sees it in the
// public catalog without logging in. It runs on both engines: the search
// reads postings that the approval brings up to date through each
// engine's own triggers (internal/sqldb/migrations).
func TestCatalogCompileReviewPublish(t *testing.T) {
	sqldbtest.Each(t, compileReviewPublish)
}

func compileReviewPublish(t *testing.T, db *sqldb.DB) {
	b := newBrowser(t)
	s := newSite(t, db)
	publishMarketEntry(t, s)

	b.login(s, "police.admin")
	b.Do("open the compile form",
		chromedp.Click(chromedp.CSS(`.sidenav a[href="/catalog"]`)),
		chromedp.WaitVisible(chromedp.ID("new-entry")),
		chromedp.Click(chromedp.ID("new-entry")),
		chromedp.WaitVisible(chromedp.ID("entry-form")))

	// The items table: add a row through htmx, then remove it again.
	if n := len(b.Texts("#item-rows tr")); n != 2 {
		t.Fatalf("blank form has %d item rows, want 2", n)
	}
	b.Do("add an item row",
		chromedp.Click(chromedp.ID("add-item")),
		chromedp.WaitVisible(chromedp.CSS(`#item-rows tr:nth-child(3) .item-name`)))
	// htmx wires the new row's buttons when the swap settles.
	run(b, "wait for htmx to settle", chromedp.Poll[bool](
		`document.querySelectorAll('.htmx-added, .htmx-settling, .htmx-swapping, .htmx-request').length === 0`))
	b.Do("remove it",
		chromedp.Click(chromedp.CSS(`#item-rows tr:nth-child(3) .remove-item`)),
		chromedp.WaitNotPresent(chromedp.CSS(`#item-rows tr:nth-child(3)`)))

	row := func(n int, cls string) chromedp.CSS {
		return chromedp.CSS(fmt.Sprintf("#item-rows tr:nth-child(%d) %s", n, cls))
	}
	b.Do("fill in the form",
		chromedp.SendKeys(chromedp.ID("f-name"), "户籍人口基本信息"),
		chromedp.SendKeys(chromedp.ID("f-abstract"), "辖区户籍人口的身份和户籍登记信息"),
		chromedp.SetValue(chromedp.ID("f-class"), "basic"),
		chromedp.SendKeys(chromedp.ID("f-cat-code"), "01"),
		chromedp.SendKeys(chromedp.ID("f-sub-code"), "001"),
		chromedp.SendKeys(row(1, ".item-name"), "公民身份号码"),
		chromedp.SendKeys(row(1, ".item-length"), "18"),
		chromedp.Click(row(1, ".item-identifies")),
		chromedp.SendKeys(row(2, ".item-name"), "姓名"),
		chromedp.SendKeys(row(2, ".item-length"), "50"),
		chromedp.SetValue(chromedp.ID("f-share-type"), "unconditional"),
		chromedp.Click(chromedp.CSS(`input[name=share_methods][value=query]`)),
		chromedp.Click(chromedp.CSS(`input[name=share_methods][value=verify]`)),
		chromedp.SendKeys(chromedp.ID("f-scope"), "全区政务部门"),
		chromedp.SetValue(chromedp.ID("f-freq"), "realtime"),
		chromedp.SetValue(chromedp.ID("f-level"), "3"),
		chromedp.SetValue(chromedp.ID("f-domain"), "18"),
	)

	// First without a required field (目 名称): the error shows and the input stays.
	b.Do("save without the subcategory name",
		chromedp.Click(chromedp.ID("save-entry")),
		chromedp.WaitVisible(chromedp.ID("form-errors")))
	if got := b.Text("#form-errors"); !strings.Contains(got, "“目”名称不能为空") {
		t.Errorf("form errors = %q, want the subcategory name", got)
	}
	b.Check("status of 422")
	if got := run(b, "read the kept name", chromedp.Value(chromedp.ID("f-name"))); got != "户籍人口基本信息" {
		t.Errorf("name after the refused save = %q", got)
	}
	if got := run(b, "read the kept item", chromedp.Value(row(2, ".item-name"))); got != "姓名" {
		t.Errorf("second item after the refused save = %q", got)
	}
	b.Do("fix and save",
		chromedp.SendKeys(chromedp.ID("f-sub-name"), "户籍信息"),
		chromedp.Click(chromedp.ID("save-entry")),
		chromedp.WaitVisible(chromedp.ID("submit-entry")))
	entryURL, err := url.Parse(b.Location())
	if err != nil {
		t.Fatal(err)
	}
	entryPath := entryURL.Path
	if got := b.Texts("#items tbody tr td:nth-child(2)"); strings.Join(got, ",") != "公民身份号码,姓名" {
		t.Errorf("items on the entry page = %v, want 公民身份号码, 姓名", got)
	}
	code := b.Text("#entry-code")
	if code != "101001/000001" {
		t.Errorf("resource code = %q, want 101001/000001", code)
	}
	b.post("submit for review", chromedp.Click(chromedp.ID("submit-entry")), "已提交审核")
	b.logout()

	b.login(s, "operator")
	b.Do("open the review queue",
		chromedp.Navigate(s.URL+"/catalog?view=submitted"),
		chromedp.WaitVisible(chromedp.CSS(`.entry-hit a[href="`+entryPath+`"]`)),
		chromedp.Click(chromedp.CSS(`.entry-hit a[href="`+entryPath+`"]`)),
		chromedp.WaitVisible(chromedp.ID("review")))
	// The overlapping 姓名 must be decided before approval.
	if got := b.Text("#conflicts"); !strings.Contains(got, "姓名") || !strings.Contains(got, "个体工商户经营者信息") {
		t.Errorf("conflicts = %q, want 姓名 against the market entry", got)
	}
	id := strings.TrimPrefix(entryPath, "/catalog/")
	b.Do("decide: the police entry is the source of 姓名",
		chromedp.Click(chromedp.CSS(`#conflicts input[name=authoritative_entry_id][value="`+id+`"]`)))
	b.post("decide", chromedp.Click(chromedp.CSS(`#conflicts .conflict-form button`)), "已指定权威数源")
	if got := b.Text("#conflicts"); !strings.Contains(got, "已裁定") {
		t.Errorf("after deciding: %q", got)
	}
	b.post("approve", chromedp.Click(chromedp.ID("approve-entry")), "审核通过")
	if got := b.Text(".entry-status"); !strings.Contains(got, "已发布") {
		t.Errorf("status = %q, want 已发布", got)
	}

	// A two-character search, live through htmx.
	b.Do("search 户籍",
		chromedp.Click(chromedp.CSS(`.sidenav a[href="/catalog"]`)),
		chromedp.WaitVisible(chromedp.ID("q")),
		chromedp.SendKeys(chromedp.ID("q"), "户籍"),
		chromedp.WaitVisible(chromedp.CSS(`#result-count`)))
	run(b, "wait for the live results", chromedp.Poll[bool](`document.querySelector('#result-count').textContent.includes('户籍')`,
		chromedp.WithPollingTimeout(10*time.Second)))
	if got := b.Texts(".entry-hit h3 a"); len(got) != 1 || got[0] != "户籍人口基本信息" {
		t.Errorf("search 户籍 found %v, want 户籍人口基本信息", got)
	}
	if loc := b.Location(); !strings.Contains(loc, "q=") {
		t.Errorf("live search did not update the address: %s", loc)
	}
	b.logout()

	// The public catalog, without logging in.
	b.Do("open the public catalog from the login page",
		chromedp.Click(chromedp.ID("public-catalog")),
		chromedp.WaitVisible(chromedp.ID("q")))
	if got := b.Texts(".entry-hit h3 a"); !contains(got, "户籍人口基本信息") {
		t.Errorf("public catalog lists %v, want 户籍人口基本信息", got)
	}
	b.Do("open the public entry",
		chromedp.Click(chromedp.CSS(`.entry-hit a[href="/public/catalog/`+code+`"]`)),
		chromedp.WaitVisible(chromedp.ID("entry-name")))
	facts := b.Text("#facts")
	if !strings.Contains(facts, "佛山市公安局南海分局") || strings.Contains(facts, "安全级别") || strings.Contains(facts, "网络环境") {
		t.Errorf("public facts = %q: want the provider, no security level or network zone", facts)
	}
	if got := b.Texts("#items tbody td:first-child"); strings.Join(got, ",") != "公民身份号码,姓名" {
		t.Errorf("public items = %v", got)
	}
	if n := len(b.Texts(".sidenav")); n != 0 {
		t.Errorf("the public page shows the staff navigation")
	}
	b.Check()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
