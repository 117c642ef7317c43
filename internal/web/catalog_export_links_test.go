package web_test

import (
	"html"
	"net/http"
	"regexp"
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
// the other filters) is said beside them.
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
		r := op.get("/catalog?q=户籍&domain=18")
		wantBody(t, "filtered list", r, `hx-swap-oob="true">导出的文件不按关键词和提供部门以外的筛选条件。</p>`)
		wantBody(t, "unfiltered list", op.get("/catalog"), `<p class="muted small" id="export-note" hx-swap-oob="true" hidden></p>`)
		wantBody(t, "department's list", police.get("/catalog"), `hx-swap-oob="true">导出的文件只含本部门的数据资源。</p>`)
		// The live search swaps the note with the results.
		r = op.get("/catalog?q=户籍", "HX-Request", "true")
		wantBody(t, "live search", r, `id="catalog-results"`, `hx-swap-oob="true">导出的文件不按关键词和提供部门以外的筛选条件。</p>`)
	})
}
