package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// foreignCSV is a file from another platform: no header the import knows
// for the name (资源中文名), and none of the classification, sharing and
// security columns a mapping's defaults supply.
const foreignCSV = "资源中文名,简介,字段,网址\n" +
	"出租屋登记信息,辖区出租屋的登记情况,房屋编号、房屋地址,http://example.gov.cn/1\n" +
	"门牌地址信息,标准地址与门牌,门牌编号、标准地址,http://example.gov.cn/2\n"

// mappingForm is the editor's form: rows as header, field, sheet triples
// and defaults by field key.
func mappingForm(token, name string, rows [][3]string, defaults map[string]string) url.Values {
	v := url.Values{"csrf_token": {token}, "name": {name}}
	for _, r := range rows {
		v.Add("header", r[0])
		v.Add("field", r[1])
		v.Add("sheet", r[2])
	}
	for k, d := range defaults {
		v.Set("default_"+k, d)
	}
	return v
}

// openDataDefaults make every row of foreignCSV a valid entry.
var openDataDefaults = map[string]string{
	"class": "部门信息资源", "category_code": "01", "category_name": "综合", "subcategory_code": "001",
	"subcategory_name": "登记", "format": "电子表格", "share_type": "无条件共享", "share_methods": "信息查询接口",
	"share_scope": "全区政务部门", "open_attribute": "不予开放", "update_frequency": "每年", "security_level": "1",
	"network_zone": "政务外网", "domain": "公共安全", "subject_kind": "不涉及", "item.type": "C", "item.length": "50",
}

func savedMapping(t *testing.T, f *fixture, dept, name string) catalogio.Mapping {
	t.Helper()
	m, err := catalogio.MappingByName(context.Background(), f.db.Read(), f.depts[dept].ID, name)
	if err != nil {
		t.Fatalf("mapping %s of %s: %v", name, dept, err)
	}
	return m
}

// wantSelected checks the field chosen in the editor's row of each header
// (pairs of header and field key, "" for 忽略此列).
func wantSelected(t *testing.T, what string, r response, pairs ...string) {
	t.Helper()
	rows := strings.Split(r.Body, "<tr>")
	for i := 0; i+1 < len(pairs); i += 2 {
		row := ""
		for _, tr := range rows {
			if strings.Contains(tr, `name="header" value="`+pairs[i]+`"`) {
				row = tr
			}
		}
		if !strings.Contains(row, `<option value="`+pairs[i+1]+`" selected>`) {
			t.Errorf("%s: column %s does not have %q selected:\n%s", what, pairs[i], pairs[i+1], row)
		}
	}
}

func TestCatalogMappings(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		tok := c.login("police.admin")

		r := c.get("/catalog/import-mappings")
		wantStatus(t, "mappings page", r, http.StatusOK)
		wantBody(t, "no mappings", r, "本部门还没有保存的列映射", `href="/catalog/import-mappings/new"`)
		wantBody(t, "import page links the mappings", c.get("/catalog/import"), `href="/catalog/import-mappings"`,
			`name="mapping"`, "不使用（按标准表头和常见同义写法识别）")
		wantStatus(t, "new mapping page", c.get("/catalog/import-mappings/new"), http.StatusOK)

		// Uploading a file lists its headers, each with the suggested field.
		r = c.upload("/catalog/import-mappings/new", tok, "open.csv", []byte("目录名称,数源单位,更新频率,网址\n"))
		wantStatus(t, "read headers", r, http.StatusOK)
		wantSelected(t, "suggested", r, "目录名称", "name", "数源单位", "provider", "更新频率", "update_frequency", "网址", "")
		wantBody(t, "suggested", r, "open.csv", "自动识别", "未识别", `id="mapping-form"`, `name="default_network_zone"`,
			`list="dl-network_zone"`, `<option value="政务外网">`, "忽略此列")
		for _, bad := range []struct{ name, data, want string }{
			{"catalog.pdf", "%PDF", "只能读取 .xlsx、.csv 或 .txt（Excel 另存的 Unicode 文本）文件的表头"},
			{"empty.csv", "\n\n", "文件没有表头行"},
			{"broken.xlsx", "PK not a zip", "文件不是 XLSX 工作簿，或已损坏：请在 Excel 或 WPS 中另存为"},
		} {
			r = c.upload("/catalog/import-mappings/new", tok, bad.name, []byte(bad.data))
			wantStatus(t, "headers of "+bad.name, r, http.StatusUnprocessableEntity)
			wantBody(t, "headers of "+bad.name, r, bad.want, `id="file-error"`)
		}

		// Saving: our own headers and unknown ignored columns are left out.
		rows := [][3]string{{"目录名称", "name", ""}, {"数源单位", "provider", ""}, {"更新频率", "update_frequency", ""},
			{"资源名称", "name", ""}, {"网址", "", ""}}
		form := mappingForm(tok, "开放目录", rows, map[string]string{"network_zone": "政务外网", "share_type": "无条件共享"})
		wantStatus(t, "forged save", c.post("/catalog/import-mappings", mappingForm("forged", "开放目录", rows, nil)), http.StatusForbidden)
		r = c.post("/catalog/import-mappings", form)
		if r.Status != http.StatusSeeOther || r.Location != "/catalog/import-mappings?saved="+url.QueryEscape("开放目录") {
			t.Fatalf("save: got %d to %q, want 303 to the list\n%s", r.Status, r.Location, r.Body)
		}
		m := savedMapping(t, f, "公安分局", "开放目录")
		if d := cmp.Diff(map[string]string{"目录名称": "name", "数源单位": "provider", "更新频率": "update_frequency"}, m.Columns); d != "" {
			t.Errorf("saved columns (-want +got):\n%s", d)
		}
		if d := cmp.Diff(map[string]string{"network_zone": "政务外网", "share_type": "无条件共享"}, m.Defaults); d != "" {
			t.Errorf("saved defaults (-want +got):\n%s", d)
		}
		if m.UpdatedBy != "police.admin" {
			t.Errorf("saved by %q, want police.admin", m.UpdatedBy)
		}
		if n := count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'catalog.import_mapping.save'`); n != 1 {
			t.Errorf("audit rows of the save: %d, want 1", n)
		}
		r = c.get(r.Location)
		wantBody(t, "list", r, `id="notice"`, "已保存列映射“开放目录”", `href="/catalog/import-mappings/edit?name=%e5%bc%80%e6%94%be%e7%9b%ae%e5%bd%95"`,
			`href="/catalog/import?mapping=%e5%bc%80%e6%94%be%e7%9b%ae%e5%bd%95"`)

		// Editing shows what was saved and saves changes under the same name.
		edit := "/catalog/import-mappings/edit?name=" + url.QueryEscape("开放目录")
		r = c.get(edit)
		wantStatus(t, "edit", r, http.StatusOK)
		wantSelected(t, "edit", r, "目录名称", "name", "数源单位", "provider", "更新频率", "update_frequency")
		wantBody(t, "edit", r, "编辑列映射", `value="开放目录"`, `id="d-network_zone" name="default_network_zone" type="text" value="政务外网"`,
			`name="existing" value="yes"`)
		form = mappingForm(tok, "开放目录", [][3]string{{"目录名称", "name", ""}, {"数源单位", "provider", ""}, {"更新频率", "", ""}},
			map[string]string{"network_zone": "互联网"})
		form.Set("existing", "yes")
		postOK(t, c, "/catalog/import-mappings", form, "/catalog/import-mappings?saved="+url.QueryEscape("开放目录"))
		m = savedMapping(t, f, "公安分局", "开放目录")
		if d := cmp.Diff(map[string]string{"目录名称": "name", "数源单位": "provider", "更新频率": ""}, m.Columns); d != "" {
			t.Errorf("edited columns (-want +got):\n%s", d)
		}
		if d := cmp.Diff(map[string]string{"network_zone": "互联网"}, m.Defaults); d != "" {
			t.Errorf("edited defaults (-want +got):\n%s", d)
		}
		// A file read from the editor of a saved mapping keeps its choices.
		r = c.upload("/catalog/import-mappings/new", tok, "more.csv", []byte("更新频率,目录名称,开放类型\n"), "name", "开放目录")
		wantStatus(t, "extend", r, http.StatusOK)
		wantSelected(t, "extend", r, "更新频率", "", "目录名称", "name", "开放类型", "open_attribute", "数源单位", "provider")
		wantBody(t, "extend", r, "已保存（文件中没有此列）", `name="existing" value="yes"`)

		// Bad mappings are refused with the reason at the field; nothing is saved.
		audits := count(t, db, `SELECT count(*) FROM audit_log`)
		for _, bad := range []struct {
			what     string
			form     url.Values
			want     []string
			wantCode int
		}{
			{"no name", mappingForm(tok, " ", rows, nil), []string{"映射名称不能为空", `id="name-error"`}, 422},
			{"unknown field", mappingForm(tok, "开放目录", [][3]string{{"目录名称", "nonsense", ""}}, nil),
				[]string{"列“目录名称”对应的字段“nonsense”不存在", `id="columns-error"`}, 422},
			{"bad default", mappingForm(tok, "开放目录", rows, map[string]string{"network_zone": "火星网"}),
				[]string{"默认值无法使用：网络环境“火星网”无法识别", `value="火星网" list="dl-network_zone" aria-invalid="true"`}, 422},
			{"nothing to map", mappingForm(tok, "开放目录", [][3]string{{"资源名称", "name", ""}}, nil),
				[]string{"映射至少要有一列对应关系或一个默认值"}, 422},
			{"rows out of step", url.Values{"csrf_token": {tok}, "name": {"开放目录"}, "header": {"a", "b"}, "field": {"name"}, "sheet": {"", ""}},
				[]string{"列映射表单不完整"}, 400},
		} {
			r := c.post("/catalog/import-mappings", bad.form)
			wantStatus(t, bad.what, r, bad.wantCode)
			wantBody(t, bad.what, r, bad.want...)
		}
		if got := savedMapping(t, f, "公安分局", "开放目录"); !cmp.Equal(got, m) {
			t.Errorf("a refused save changed the mapping: %s", cmp.Diff(m, got))
		}
		if n := count(t, db, `SELECT count(*) FROM catalog_import_mappings`); n != 1 {
			t.Errorf("mappings after refused saves: %d, want 1", n)
		}
		if n := count(t, db, `SELECT count(*) FROM audit_log`); n != audits {
			t.Errorf("audit rows after refused saves: %d, want %d", n, audits)
		}

		// Mappings belong to their department; only compilers have them.
		market := f.client(t)
		mtok := market.login("market.admin")
		wantNoBody(t, "other department's list", market.get("/catalog/import-mappings"), "开放目录")
		wantStatus(t, "other department's mapping", market.get(edit), http.StatusNotFound)
		r = market.upload("/catalog/import", mtok, "open.csv", []byte(foreignCSV), "mapping", "开放目录")
		wantStatus(t, "import with another department's mapping", r, http.StatusUnprocessableEntity)
		wantBody(t, "import with another department's mapping", r, "列映射“开放目录”不存在")
		rev := f.client(t)
		rtok := rev.login("reviewer")
		wantStatus(t, "reviewer mappings", rev.get("/catalog/import-mappings"), http.StatusForbidden)
		wantStatus(t, "reviewer save", rev.post("/catalog/import-mappings", mappingForm(rtok, "x", rows, nil)), http.StatusForbidden)
	})
}

// TestCatalogImportWithMapping imports a foreign file through a saved
// mapping chosen on the import form, as the API's ?mapping= does.
func TestCatalogImportWithMapping(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		tok := c.login("police.admin")

		// Without a mapping the file has no 资源名称 column: nothing imported.
		r := c.upload("/catalog/import", tok, "open.csv", []byte(foreignCSV))
		wantStatus(t, "import without mapping", r, http.StatusUnprocessableEntity)
		wantBody(t, "import without mapping", r, "缺少列“资源名称”")

		postOK(t, c, "/catalog/import-mappings", mappingForm(tok, "开放平台", [][3]string{{"资源中文名", "name", ""},
			{"简介", "abstract", ""}, {"字段", "items", ""}, {"网址", "", ""}}, openDataDefaults),
			"/catalog/import-mappings?saved="+url.QueryEscape("开放平台"))
		r = c.get("/catalog/import?mapping=" + url.QueryEscape("开放平台"))
		wantBody(t, "import form", r, `<option value="开放平台" selected>开放平台</option>`)

		r = c.upload("/catalog/import", tok, "open.csv", []byte(foreignCSV), "mapping", "no such")
		wantStatus(t, "unknown mapping", r, http.StatusUnprocessableEntity)
		wantBody(t, "unknown mapping", r, "列映射“no such”不存在")
		if n := countEntries(t, db); n != 0 {
			t.Fatalf("entries after refused imports: %d, want 0", n)
		}

		r = c.upload("/catalog/import", tok, "open.csv", []byte(foreignCSV), "mapping", "开放平台")
		wantStatus(t, "import with mapping", r, http.StatusOK)
		wantBody(t, "import with mapping", r, `id="import-done"`, "新增 2 个", "出租屋登记信息", "门牌地址信息",
			`id="import-columns"`, "<td>资源中文名</td><td>资源名称</td><td>列映射</td>", "<td>网址</td><td>—</td><td>忽略</td>",
			"默认值", `<option value="开放平台" selected>`)
		if n := count(t, db, `SELECT count(*) FROM catalog_entries WHERE department_id = $1`, f.depts["公安分局"].ID); n != 2 {
			t.Fatalf("imported entries: %d, want 2", n)
		}

		// The report offers its columns as a new mapping.
		wantBody(t, "report", r, `id="mapping-from-report"`, `<input type="hidden" name="header" value="资源中文名"><input type="hidden" name="field" value="name">`)
		r = c.post("/catalog/import-mappings/new", url.Values{"csrf_token": {tok}, "name": {"开放平台"},
			"header": {"资源中文名", "简介", "字段", "网址"}, "field": {"name", "abstract", "items", ""}, "sheet": {"", "", "", ""}})
		wantStatus(t, "mapping from report", r, http.StatusOK)
		wantSelected(t, "mapping from report", r, "资源中文名", "name", "简介", "abstract", "字段", "items", "网址", "")
		wantBody(t, "mapping from report", r, "本次导入", `value="政务外网"`)
	})
}
