package web_test

import (
	"html"
	"math"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// The tests of this file check the console's pages against the defects an
// accessibility audit (WCAG 2.1 AA, GB/T 37668) found in them.

// TestSkipLink: every page, staff and public, begins with a link 跳到主要内容
// to its main part, which takes the focus (WCAG 2.1 2.4.1).
func TestSkipLink(t *testing.T) {
	f := newFixture(t, sqldbtest.SQLite(t))
	anon := f.client(t)
	op := f.loggedIn(t, "operator")
	for _, p := range []struct {
		c    *client
		path string
	}{{anon, "/login"}, {anon, "/public/catalog"}, {op, "/"}, {op, "/catalog"}, {op, "/apps"}, {op, "/org"}, {op, "/audit"}} {
		r := p.c.get(p.path)
		tags := pageTags(r.Body)
		i := 0
		for i < len(tags) && tags[i].Name != "body" {
			i++
		}
		if i+1 >= len(tags) || tags[i+1].Name != "a" || tags[i+1].Attrs["href"] != "#main" || tags[i+1].Text != "跳到主要内容" {
			t.Errorf("%s: the page does not begin with a link 跳到主要内容 to #main", p.path)
		}
		for _, tag := range tags {
			if tag.Name == "main" && (tag.Attrs["id"] != "main" || tag.Attrs["tabindex"] != "-1") {
				t.Errorf("%s: <main> is %v, want id main and tabindex -1", p.path, tag.Attrs)
			}
		}
	}
}

// headingLevels returns the levels of the headings of body, in order.
func headingLevels(body string) []int {
	var levels []int
	for _, tag := range pageTags(body) {
		if len(tag.Name) == 2 && tag.Name[0] == 'h' && tag.Name[1] >= '1' && tag.Name[1] <= '6' {
			levels = append(levels, int(tag.Name[1]-'0'))
		}
	}
	return levels
}

// TestCatalogResultsFirst: the catalog pages give the results before the
// ~50 facet links in the page, each part under a heading (h2 搜索结果 and
// 筛选), and no heading skips a level (WCAG 2.1 1.3.1, 2.4.3, 2.4.6); the
// audit log's sections have headings.
func TestCatalogResultsFirst(t *testing.T) {
	f := newFixture(t, sqldbtest.SQLite(t))
	anon := f.client(t)
	op := f.loggedIn(t, "operator")
	for _, p := range []struct {
		c    *client
		path string
	}{{anon, "/public/catalog"}, {op, "/catalog"}, {op, "/audit"}} {
		r := p.c.get(p.path)
		wantStatus(t, p.path, r, 200)
		levels := headingLevels(r.Body)
		for i := 1; i < len(levels); i++ {
			if levels[i] > levels[i-1]+1 {
				t.Errorf("%s: heading levels %v: h%d follows h%d", p.path, levels, levels[i], levels[i-1])
			}
		}
		if p.path == "/audit" {
			for _, h := range []string{"筛选条件", "校验审计链", "审计记录"} {
				if !regexp.MustCompile(`<h2[^>]*>` + h + `</h2>`).MatchString(r.Body) {
					t.Errorf("/audit: no heading %s", h)
				}
			}
			continue
		}
		results := regexp.MustCompile(`<h2[^>]*>搜索结果</h2>`).FindStringIndex(r.Body)
		facets := regexp.MustCompile(`<h2[^>]*>筛选</h2>`).FindStringIndex(r.Body)
		aside := strings.Index(r.Body, `<aside class="facets"`)
		switch {
		case results == nil || facets == nil || aside < 0:
			t.Errorf("%s: no heading 搜索结果 or 筛选, or no facets", p.path)
		case results[0] > facets[0] || results[0] > aside:
			t.Errorf("%s: the facets come before the results in the page", p.path)
		}
	}
}

// TestLiveSearchAnnounced: the result count of the catalog pages is a live
// region (role=status) outside the part the live search swaps, which
// updates it out of band, so that a screen reader reads the new count; the
// search waits for a typed word (search-input, which app.js sends except
// while an input method composes) and replaces the address rather than
// adding a history entry for each keystroke.
func TestLiveSearchAnnounced(t *testing.T) {
	f := newFixture(t, sqldbtest.SQLite(t))
	anon := f.client(t)
	op := f.loggedIn(t, "operator")
	count := regexp.MustCompile(`<p [^>]*id="result-count"[^>]*>`)
	for _, c := range []*client{anon, op} {
		path := "/public/catalog"
		if c == op {
			path = "/catalog"
		}
		r := c.get(path + "?q=" + url.QueryEscape("户籍"))
		tag := count.FindString(r.Body)
		if !strings.Contains(tag, `role="status"`) {
			t.Errorf("%s: result count %q is not a live region", path, tag)
		}
		if i, j := strings.Index(r.Body, `id="result-count"`), strings.Index(r.Body, `id="catalog-results"`); i < 0 || j < 0 || i > j {
			t.Errorf("%s: the result count is inside the swapped results", path)
		}
		wantBody(t, path, r, `hx-replace-url="true"`, `hx-trigger="search-input changed delay:300ms from:#q,`)
		wantNoBody(t, path, r, `hx-push-url`, `hx-trigger="input `)

		r = c.get(path+"?q="+url.QueryEscape("户籍"), "HX-Request", "true")
		wantBody(t, path+" fragment", r, `id="catalog-results"`, `<p id="result-count" hx-swap-oob="innerHTML">共 0 个，关键词“户籍”</p>`)
	}
}

// TestItemErrorOnItsInput: a data item row's refusal is tied to the input
// at fault (aria-invalid, aria-describedby), its length box for a missing
// length, and the summary links there, not to the row's name. The second
// row is r2 on the page, whatever key it was posted with (rows are keyed
// by position).
func TestItemErrorOnItsInput(t *testing.T) {
	f := newFixture(t, sqldbtest.SQLite(t))
	c := f.client(t)
	tok := c.login("police.admin")
	r := c.post("/catalog/new", entryForm(tok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes", "姓名", "C", "", "no"))
	wantStatus(t, "missing length", r, 422)
	msg := "字符型信息项“姓名”必须填写长度"
	wantBody(t, "missing length", r,
		`<li><a href="#item-length-r2">`+msg+`</a></li>`,
		`<span class="field-error" id="item-length-r2-error">`+msg+`</span>`)
	for _, tag := range pageTags(r.Body) {
		switch tag.Attrs["id"] {
		case "item-length-r2":
			if tag.Attrs["aria-invalid"] != "true" || tag.Attrs["aria-describedby"] != "item-length-r2-error" {
				t.Errorf("length box: %v, want aria-invalid and described by item-length-r2-error", tag.Attrs)
			}
		case "item-name-r2":
			if tag.Attrs["aria-invalid"] != "" || tag.Attrs["aria-describedby"] != "" {
				t.Errorf("name box of the row: %v, want no error", tag.Attrs)
			}
		}
	}
	checkErrorsDescribed(t, "missing length", r.Body)
}

// TestLookupErrorSummary: the record lookup refused shows its refusals in
// a summary announced as it appears (role=alert), each linked to its
// field, as every console form does.
func TestLookupErrorSummary(t *testing.T) {
	f := newFixture(t, sqldbtest.SQLite(t))
	c := f.loggedIn(t, "police.admin")
	r := c.get("/records/lookup?entry=&subject=&purpose=")
	wantStatus(t, "lookup", r, 400)
	wantBody(t, "lookup", r, `<div class="alert" role="alert" id="form-errors">`, `<strong>有 3 处需要修改：</strong>`,
		`<li><a href="#lookup-entry">`, `<li><a href="#lookup-subject">请填写主体标识`, `<li><a href="#lookup-purpose">请填写查询用途`)
	checkErrorsDescribed(t, "lookup", r.Body)
}

// TestCatalogFormRequired: each field of the compile form marked with a
// red asterisk is required for assistive technology too (aria-required),
// and the form says what the asterisk means.
func TestCatalogFormRequired(t *testing.T) {
	f := newFixture(t, sqldbtest.SQLite(t))
	c := f.loggedIn(t, "police.admin")
	for _, path := range []string{"/catalog/new"} {
		r := c.get(path)
		wantBody(t, path, r, `<span class="req">*</span> 为必填项`)
		tags := pageTags(r.Body)
		starred := map[string]bool{} // the ids of the fields whose label has an asterisk
		var label string
		for _, tag := range tags {
			switch {
			case tag.Name == "label":
				label = tag.Attrs["for"]
			case tag.Name == "span" && tag.has("class", "req") && label != "":
				starred[label] = true
			case tag.Name == "th":
				label = ""
			}
		}
		if len(starred) < 15 {
			t.Fatalf("%s: %d labels with an asterisk, want 15", path, len(starred))
		}
		for _, tag := range tags {
			id := tag.Attrs["id"]
			if tag.Name == "input" || tag.Name == "select" || tag.Name == "textarea" {
				required := tag.Attrs["aria-required"] == "true"
				if want := starred[id] || tag.has("class", "item-name"); required != want {
					t.Errorf("%s: %s aria-required %v, want %v", path, tag, required, want)
				}
			}
		}
	}
}

// accessibleTexts returns the text of each element that open (a regexp of
// its start tag, up to its end tag name) matches, without what is
// aria-hidden.
func accessibleTexts(body, open, name string) []string {
	hidden := regexp.MustCompile(`<span aria-hidden="true">[^<]*</span>`)
	tags := regexp.MustCompile(`<[^>]*>`)
	var out []string
	for _, m := range regexp.MustCompile(`(?s)`+open+`(.*?)</`+name+`>`).FindAllStringSubmatch(body, -1) {
		text := tags.ReplaceAllString(hidden.ReplaceAllString(m[1], ""), "")
		out = append(out, strings.Join(strings.Fields(html.UnescapeString(text)), " "))
	}
	return out
}

// TestDistinctLinkNames: the links and buttons that repeat per row or card
// (修改 a department; 吊销 a key, 轮换密钥 and 注销应用 an app) name what
// they act on for a screen reader's list of links (WCAG 2.1 2.4.4); a
// filter's removal link says 取消筛选, its × hidden.
func TestDistinctLinkNames(t *testing.T) {
	f := newFixture(t, sqldbtest.SQLite(t))
	c := f.loggedIn(t, "operator")
	police := f.client(t)
	ptok := police.login("police.admin")
	for _, name := range []string{"不动产登记系统", "社保核验系统"} {
		r := police.post("/apps", url.Values{"csrf_token": {ptok}, "name": {name}, "scopes": {"data.read"}})
		if r.Status >= 400 {
			t.Fatalf("create app %s: %d\n%s", name, r.Status, r.Body)
		}
	}
	distinct := func(what string, names []string, min int) {
		t.Helper()
		if len(names) < min {
			t.Errorf("%s: %d found, want at least %d", what, len(names), min)
		}
		seen := map[string]bool{}
		for _, n := range names {
			if seen[n] {
				t.Errorf("%s: %q more than once in %q", what, n, names)
			}
			seen[n] = true
		}
	}
	r := c.get("/org")
	distinct("/org 修改", accessibleTexts(r.Body, `<a href="/org/departments/\d+/edit">`, "a"), 3)
	r = police.get("/apps")
	starting := func(list []string, prefix string) []string {
		var out []string
		for _, s := range list {
			if strings.HasPrefix(s, prefix) {
				out = append(out, s)
			}
		}
		return out
	}
	buttons := accessibleTexts(r.Body, `<button type="submit" class="btn btn-small[^"]*">`, "button")
	for _, b := range []string{"吊销", "轮换密钥", "注销应用"} {
		distinct("/apps "+b, starting(buttons, b), 2)
	}
	labels := accessibleTexts(r.Body, `<label>`, "label")
	for _, l := range []string{"确认吊销", "确认轮换", "确认注销", "旧密钥宽限期"} {
		distinct("/apps "+l, starting(labels, l), 2)
	}

	r = c.get("/catalog?share_type=conditional")
	got := accessibleTexts(r.Body, `<a href="[^"]*" class="facet-active" title="取消此条件">`, "a")
	if len(got) != 1 || got[0] != "取消筛选：共享类型：有条件共享" {
		t.Errorf("filter removal links read %q, want 取消筛选：共享类型：有条件共享", got)
	}
}

// cssColor reads a colour of app.css: #rgb or #rrggbb, or var(--name)
// resolved from its :root.
func cssColor(t *testing.T, css, value string) [3]float64 {
	t.Helper()
	value = strings.TrimSpace(value)
	if m := regexp.MustCompile(`^var\((--[a-z0-9-]+)\)$`).FindStringSubmatch(value); m != nil {
		d := regexp.MustCompile(regexp.QuoteMeta(m[1]) + `:\s*([^;]+);`).FindStringSubmatch(css)
		if d == nil {
			t.Fatalf("app.css: %s not defined", m[1])
		}
		return cssColor(t, css, d[1])
	}
	hex := strings.TrimPrefix(value, "#")
	if len(hex) == 3 {
		hex = string([]byte{hex[0], hex[0], hex[1], hex[1], hex[2], hex[2]})
	}
	n, err := strconv.ParseUint(hex, 16, 32)
	if len(hex) != 6 || err != nil {
		t.Fatalf("app.css: colour %q is not #rrggbb", value)
	}
	return [3]float64{float64(n >> 16), float64(n >> 8 & 0xff), float64(n & 0xff)}
}

// contrast is the WCAG 2.1 contrast ratio of two colours.
func contrast(a, b [3]float64) float64 {
	lum := func(c [3]float64) float64 {
		var l [3]float64
		for i, v := range c {
			v /= 255
			if v <= 0.03928 {
				l[i] = v / 12.92
			} else {
				l[i] = math.Pow((v+0.055)/1.055, 2.4)
			}
		}
		return 0.2126*l[0] + 0.7152*l[1] + 0.0722*l[2]
	}
	x, y := lum(a), lum(b)
	return (max(x, y) + 0.05) / (min(x, y) + 0.05)
}

// cssRule returns the declarations of the rule of app.css whose selector
// list is sel.
func cssRule(t *testing.T, css, sel string) string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(sel) + `\s*\{([^}]*)\}`).FindStringSubmatch(css)
	if m == nil {
		t.Fatalf("app.css has no rule %s", sel)
	}
	return m[1]
}

// cssDecl returns the value of property prop in the declarations decls.
func cssDecl(t *testing.T, decls, prop string) string {
	t.Helper()
	m := regexp.MustCompile(`(?:^|[;\s])` + regexp.QuoteMeta(prop) + `:\s*([^;]+)`).FindStringSubmatch(decls)
	if m == nil {
		return ""
	}
	return strings.TrimSpace(m[1])
}

// TestFieldContrast: the borders of form fields and their focus outline
// stand out 3:1 from the white they sit on (WCAG 2.1 1.4.11), and a
// revoked app's card keeps its text's contrast (1.4.3): it is greyed by
// its background, not made translucent.
func TestFieldContrast(t *testing.T) {
	b, err := os.ReadFile("static/app.css")
	if err != nil {
		t.Fatal(err)
	}
	css := string(b)
	white := [3]float64{255, 255, 255}
	fields := cssRule(t, css, "input[type=text], input[type=password], input[type=number], input[type=date], select, textarea")
	border := strings.Fields(cssDecl(t, fields, "border"))
	if len(border) != 3 {
		t.Fatalf("form field border %q", border)
	}
	if r := contrast(cssColor(t, css, border[2]), white); r < 3 {
		t.Errorf("form field border %s: contrast %.2f:1 on white, want 3:1", border[2], r)
	}
	for _, sel := range []string{"input:focus, select:focus, textarea:focus", ".searchbar input[type=search]:focus"} {
		outline := strings.Fields(cssDecl(t, cssRule(t, css, sel), "outline"))
		if len(outline) != 3 {
			t.Fatalf("%s: outline %q", sel, outline)
		}
		if r := contrast(cssColor(t, css, outline[2]), white); r < 3 {
			t.Errorf("%s: outline %s: contrast %.2f:1 on white, want 3:1", sel, outline[2], r)
		}
	}
	search := strings.Fields(cssDecl(t, cssRule(t, css, ".searchbar input[type=search]"), "border"))
	if len(search) != 3 || contrast(cssColor(t, css, search[2]), white) < 3 {
		t.Errorf("search box border %q: want 3:1 on white", search)
	}
	revoked := cssRule(t, css, ".app-revoked")
	if o := cssDecl(t, revoked, "opacity"); o != "" {
		t.Errorf(".app-revoked has opacity %s: its text loses contrast", o)
	}
	bg := cssColor(t, css, cssDecl(t, revoked, "background"))
	for _, text := range []string{"var(--text)", "var(--muted)", "var(--blue)", "var(--red)", "var(--green)"} {
		if r := contrast(cssColor(t, css, text), bg); r < 4.5 {
			t.Errorf(".app-revoked: %s on %v: contrast %.2f:1, want 4.5:1", text, bg, r)
		}
	}
}

// TestEntryVersionTabs: the tab of the version an entry's page shows is
// the current page for assistive technology too (aria-current), and its
// version and review tables scroll in their own box on a narrow screen.
func TestEntryVersionTabs(t *testing.T) {
	f := newFixture(t, sqldbtest.SQLite(t))
	police := f.loggedIn(t, "police.admin")
	id := publish(t, f, "公安分局", "暂住人口登记信息", "01", "002",
		catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, catalog.Item{Name: "姓名", Type: "C", Length: 50})
	reviseEntry(t, f, "公安分局", id)
	path := "/catalog/" + strconv.FormatInt(id, 10)
	for _, c := range []struct{ path, current string }{{path, "现行版本"}, {path + "?view=working", "修订稿"}} {
		r := police.get(c.path)
		var current []string
		for _, tag := range pageTags(r.Body) {
			if tag.Name == "a" && tag.Attrs["aria-current"] == "page" {
				current = append(current, tag.Text)
			}
		}
		// The side navigation's 数据资源目录, then the version's tab.
		if len(current) != 2 || !strings.HasPrefix(current[1], c.current) {
			t.Errorf("%s: links marked current %q, want the navigation's and %s", c.path, current, c.current)
		}
		wantBody(t, c.path, r, "<div class=\"table-wrap\">\n  <table class=\"table table-compact\" id=\"versions\">",
			"<div class=\"table-wrap\">\n  <table class=\"table table-compact\" id=\"reviews\">")
	}
}
