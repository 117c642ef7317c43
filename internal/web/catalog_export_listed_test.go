package web_test

import (
	"html"
	"net/http"
	"slices"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCatalogExportAsListed: the console's catalog export gives a
// department administrator and a reviewer of a department what the list
// shows them, and what GET /api/v1/catalog/export gives for the same
// filters: every department's published entries (also for
// ?department_id=0, which the list reads as every department and its
// export link carries: the export refused it 400 invalid_number), or
// another department's when ?department_id= names it, but no other
// department's draft; where
// the console exported their department's entries alone (the list's 2
// rows gave a file of 1) and refused another department's 403 (只能导出本部门
// 的数据资源目录). The page no longer says the file holds the department's
// entries alone: a department administrator whose list is not filtered to
// its department is told that its import takes its own entries alone and
// to filter before exporting a file to edit; filtered to it, or to a
// reviewer, nothing is said. On both engines.
func TestCatalogExportAsListed(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		id := catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}
		publish(t, f, "公安分局", "暂住人口登记信息", "01", "002", id, catalog.Item{Name: "姓名", Type: "C", Length: 50})
		publish(t, f, "市场监管局", "个体工商户登记信息", "02", "001", id, catalog.Item{Name: "字号名称", Type: "C", Length: 50})
		market := f.client(t)
		createEntry(t, market, entryForm(market.login("market.admin"), "市场主体草稿", "公民身份号码", "C", "18", "yes"))
		marketID := strconv.FormatInt(f.depts["市场监管局"].ID, 10)
		policeID := strconv.FormatInt(f.depts["公安分局"].ID, 10)

		for _, who := range []string{"police.admin", "reviewer"} {
			c := f.loggedIn(t, who)
			for list, want := range map[string][]string{
				"/catalog":                           {"个体工商户登记信息", "暂住人口登记信息"},
				"/catalog?department_id=0":           {"个体工商户登记信息", "暂住人口登记信息"},
				"/catalog?department_id=" + marketID: {"个体工商户登记信息"},
			} {
				r := c.get(list)
				wantStatus(t, who+" "+list, r, http.StatusOK)
				var listed []string
				for _, m := range hitNameRE.FindAllStringSubmatch(r.Body, -1) {
					listed = append(listed, html.UnescapeString(m[1]))
				}
				m := exportCSVRE.FindStringSubmatch(r.Body)
				if m == nil {
					t.Fatalf("%s %s: no export link", who, list)
				}
				href := html.UnescapeString(m[1])
				file := c.get(href)
				wantStatus(t, who+" "+href, file, http.StatusOK)
				got := csvNames(t, file.Body)
				slices.Sort(listed)
				slices.Sort(got)
				if !slices.Equal(listed, want) || !slices.Equal(got, want) {
					t.Errorf("%s: the list %s shows %v, its export %s holds %v, want %v", who, list, listed, href, got, want)
				}
			}
			path := "/catalog/export?format=jsonl&status=published&department_id=" + marketID
			r := c.get(path)
			wantStatus(t, who+" "+path, r, http.StatusOK)
			wantBody(t, who+" "+path, r, `"name":"个体工商户登记信息"`)
			wantNoBody(t, who+" "+path, r, "暂住人口登记信息")
			path = "/catalog/export?format=csv&status=draft,rejected,submitted,published"
			r = c.get(path)
			wantStatus(t, who+" "+path, r, http.StatusOK)
			wantBody(t, who+" "+path, r, "个体工商户登记信息", "暂住人口登记信息")
			wantNoBody(t, who+" "+path, r, "市场主体草稿")
		}

		police := f.loggedIn(t, "police.admin")
		const note = "导入只能新增和更新本部门的数据资源"
		wantBody(t, "department's unfiltered list", police.get("/catalog"), note)
		wantNoBody(t, "department's list of its own", police.get("/catalog?department_id="+policeID), note)
		wantNoBody(t, "reviewer's list", f.loggedIn(t, "reviewer").get("/catalog"), note)
		wantNoBody(t, "department's list", police.get("/catalog"), "只含本部门")
	})
}
