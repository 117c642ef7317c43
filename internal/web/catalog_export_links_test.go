package web_test

import (
	"encoding/csv"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

var exportCSVRE = regexp.MustCompile(`<a href="([^"]+)" class="btn btn-light" id="export-csv"`)

// TestCatalogExportLinks: the list's 导出 links export its view and its
// department, where they exported the whole catalog whatever the list
// showed (/catalog?department_id=4 listed 6 entries and exported 293,
// others' drafts among them); what the export does not read (the text,
// the other filters) was said beside them; since 2026-12-05 the links
// carry the list's text, filters and order, and the file holds the
// list's rows.
func TestCatalogExportLinks(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		id := catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}
		publish(t, f, "公安分局", "暂住人口登记信息", "01", "002", id, catalog.Item{Name: "姓名", Type: "C", Length: 50})
		publish(t, f, "市场监管局", "个体工商户登记信息", "02", "001", id, catalog.Item{Name: "字号名称", Type: "C", Length: 50})
		police, op := f.client(t), f.client(t)
		tok := police.login("police.admin")
		op.login("operator")
		createEntry(t, police, entryForm(tok, "户籍档案草稿", "公民身份号码", "C", "18", "yes"))

		export := func(c *client, list string) (href, file string) {
			t.Helper()
			r := c.get(list)
			m := exportCSVRE.FindStringSubmatch(r.Body)
			if r.Status != http.StatusOK || m == nil {
				t.Fatalf("%s: %d, no export link", list, r.Status)
			}
			href = html.UnescapeString(m[1])
			got := c.get(href)
			wantStatus(t, href, got, http.StatusOK)
			return href, got.Body
		}
		dept := strconv.FormatInt(f.depts["公安分局"].ID, 10)
		href, file := export(op, "/catalog?department_id="+dept)
		if !strings.Contains(href, "department_id="+dept) || !strings.Contains(href, "status=published") {
			t.Errorf("operator's export of a department: %s", href)
		}
		if !strings.Contains(file, "暂住人口登记信息") || strings.Contains(file, "个体工商户登记信息") || strings.Contains(file, "户籍档案草稿") {
			t.Errorf("operator's export of a department's published entries holds:\n%s", file)
		}
		href, file = export(police, "/catalog?view=drafts")
		if !strings.Contains(href, "status=draft%2Crejected") {
			t.Errorf("drafts' export: %s", href)
		}
		if !strings.Contains(file, "户籍档案草稿") || strings.Contains(file, "暂住人口登记信息") {
			t.Errorf("drafts' export holds:\n%s", file)
		}
		// The list's text, filters and order go into the links: the file
		// holds the list's rows, and no note says otherwise.
		publish(t, f, "公安分局", "户籍人口登记信息", "01", "003", id)
		list := "/catalog?q=" + url.QueryEscape("人口登记") + "&domain=18&share_type=conditional"
		r := op.get(list)
		wantBody(t, "filtered list", r, `<p class="muted small" id="export-note" hx-swap-oob="true" hidden></p>`)
		var listed []string
		for _, m := range hitNameRE.FindAllStringSubmatch(r.Body, -1) {
			listed = append(listed, html.UnescapeString(m[1]))
		}
		href, file = export(op, list)
		for _, p := range []string{"q=" + url.QueryEscape("人口登记"), "domain=18", "share_type=conditional", "sort=relevance"} {
			if !strings.Contains(href, p) {
				t.Errorf("filtered list's export link %s lacks %s", href, p)
			}
		}
		if got := csvNames(t, file); len(listed) != 2 || !slices.Equal(got, listed) {
			t.Errorf("filtered list's export: %v, the list %v", got, listed)
		}
		wantBody(t, "unfiltered list", op.get("/catalog"), `<p class="muted small" id="export-note" hx-swap-oob="true" hidden></p>`)
		wantBody(t, "department's list", police.get("/catalog"), `hx-swap-oob="true">导出的文件与列表相同。导入只能新增和更新本部门的数据资源：`)
		// The live search swaps the links and the note with the results.
		r = op.get("/catalog?q="+url.QueryEscape("户籍")+"&sort=name", "HX-Request", "true")
		wantBody(t, "live search", r, `id="catalog-results"`, `id="export-note" hx-swap-oob="true" hidden>`)
		m := exportCSVRE.FindStringSubmatch(r.Body)
		if m == nil || !strings.Contains(html.UnescapeString(m[1]), "q="+url.QueryEscape("户籍")) || !strings.Contains(html.UnescapeString(m[1]), "sort=name") {
			t.Errorf("live search's export link: %v", m)
		}
	})
}

var hitNameRE = regexp.MustCompile(`<article class="entry-hit" id="hit-\d+">\s*<h3><a href="/catalog/\d+">([^<]+)</a>`)

// csvNames are the entry names of a CSV export, once per entry.
func csvNames(t *testing.T, file string) []string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(file, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, row := range rows[1:] {
		if len(names) == 0 || names[len(names)-1] != row[0] {
			names = append(names, row[0])
		}
	}
	return names
}
