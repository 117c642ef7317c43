package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// foreignCatalog is another platform's export of n entries: its own
// header for the name (资源中文名) and none of the columns a mapping's
// defaults supply.
func foreignCatalog(t *testing.T, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("资源中文名,简介,字段,网址\n")
	for i := range n {
		fmt.Fprintf(&b, "开放数据集%04d,开放平台发布的数据集,编号、名称,http://example.gov.cn/%d\n", i, i)
	}
	path := filepath.Join(t.TempDir(), "开放平台目录.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCatalogImportMappingAndProgress makes a column mapping from a foreign
// file's headers in the console, then imports a larger file through it: the
// form is sent by the page's script, which shows the upload and the import
// progressing and then the report, without leaving the page.
func TestCatalogImportMappingAndProgress(t *testing.T) {
	b := newBrowser(t)
	s := newSite(t, sqldbtest.SQLite(t))
	const rows = 600
	file := foreignCatalog(t, rows)

	b.login(s, "police.admin")
	b.Do("open the mapping editor from the import page",
		chromedp.Navigate(s.URL+"/catalog/import"),
		chromedp.WaitVisible(chromedp.ID("manage-mappings")),
		chromedp.Click(chromedp.ID("manage-mappings")),
		chromedp.WaitVisible(chromedp.ID("new-mapping")),
		chromedp.Click(chromedp.ID("new-mapping")),
		chromedp.WaitVisible(chromedp.ID("mapping-file")))
	b.Do("read the file's headers",
		chromedp.SetUploadFiles(chromedp.ID("mapping-file"), []string{file}),
		chromedp.Click(chromedp.ID("read-headers")),
		chromedp.WaitVisible(chromedp.ID("mapping-form")))
	if got := b.Texts("#mapping-columns tbody td:first-child label"); strings.Join(got, ",") != "资源中文名,简介,字段,网址" {
		t.Fatalf("columns listed: %v", got)
	}
	// 简介 and 字段 are known synonyms; 资源中文名 is not.
	chosen := run(b, "read the suggestions", chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll('#mapping-columns select'), s => s.value)`))
	if strings.Join(chosen, ",") != ",abstract,items," {
		t.Errorf("suggested fields %q, want , abstract, items,", chosen)
	}
	defaults, err := json.Marshal(map[string]string{
		"class": "部门信息资源", "category_code": "01", "category_name": "开放数据", "subcategory_code": "001",
		"subcategory_name": "开放目录", "format": "电子表格", "share_type": "无条件共享", "share_methods": "文件下载交换",
		"share_scope": "全区政务部门", "open_attribute": "无条件开放", "update_frequency": "每年", "security_level": "1",
		"network_zone": "政务外网", "domain": "公共安全", "subject_kind": "不涉及", "item.type": "C", "item.length": "200"})
	if err != nil {
		t.Fatal(err)
	}
	run(b, "fill in the defaults", chromedp.Evaluate[bool](`Object.entries(`+string(defaults)+`).every(([k, v]) => {
		const input = document.querySelector('[name="default_' + k + '"]');
		if (input) input.value = v;
		return !!input;
	})`))
	b.Do("map the name and save",
		chromedp.SetValue(chromedp.ID("col-0"), "name"),
		chromedp.SendKeys(chromedp.ID("m-name"), "开放平台"),
		chromedp.Click(chromedp.ID("save-mapping")),
		chromedp.WaitVisible(chromedp.ID("notice")))
	if got := b.Text("#notice"); !strings.Contains(got, "已保存列映射“开放平台”") {
		t.Errorf("notice %q", got)
	}
	m, err := catalogio.MappingByName(context.Background(), s.DB.Read(), s.Users["police.admin"].DepartmentID, "开放平台")
	if err != nil {
		t.Fatal(err)
	}
	if m.Columns["资源中文名"] != "name" || m.Defaults["network_zone"] != "政务外网" {
		t.Errorf("saved mapping %+v", m)
	}

	b.Do("choose the mapping on the import form",
		chromedp.Click(chromedp.CSS(`#mappings a[href^="/catalog/import?mapping="]`)),
		chromedp.WaitVisible(chromedp.ID("import-form")))
	if got := run(b, "read the chosen mapping", chromedp.Value(chromedp.ID("import-mapping"))); got != "开放平台" {
		t.Errorf("mapping chosen on the form: %q", got)
	}
	// Record every text the page gives the progress label, as it is set
	// (a MutationObserver reads the label after the task, so it misses the
	// last count when that and the result arrive in one chunk), and mark
	// the document: the import must not load another page.
	run(b, "watch the progress", chromedp.Evaluate[bool](`
		window.stayed = true;
		window.labels = [];
		const text = Object.getOwnPropertyDescriptor(Node.prototype, 'textContent');
		Object.defineProperty(document.getElementById('import-status'), 'textContent', {
			configurable: true,
			get() { return text.get.call(this); },
			set(v) { window.labels.push(String(v)); text.set.call(this, v); },
		});
		true`))
	b.Do("import",
		chromedp.SetUploadFiles(chromedp.ID("import-file"), []string{file}),
		chromedp.Click(chromedp.ID("import-submit")),
		chromedp.WaitVisible(chromedp.ID("import-done")))
	if got := b.Text("#import-done"); !strings.Contains(got, fmt.Sprintf("新增 %d 个", rows)) {
		t.Errorf("report: %q", got)
	}
	if !run(b, "check the page stayed", chromedp.Evaluate[bool](`window.stayed === true`)) {
		t.Fatal("the import loaded a new page instead of showing progress")
	}
	labels := run(b, "read the progress labels", chromedp.Evaluate[[]string](`window.labels`))
	uploading, importing := false, regexp.MustCompile(fmt.Sprintf(`^正在导入 \d+ / %d 条$`, rows))
	var steps []string
	for _, l := range labels {
		uploading = uploading || strings.HasPrefix(l, "正在上传…")
		if importing.MatchString(l) {
			steps = append(steps, l)
		}
	}
	if !uploading || len(steps) == 0 || steps[len(steps)-1] != fmt.Sprintf("正在导入 %d / %d 条", rows, rows) {
		t.Errorf("progress labels %q: want 正在上传… and 正在导入 n / %d 条 up to the last row", labels, rows)
	}
	if got := b.Text("#import-status"); got != "已完成" {
		t.Errorf("final label %q, want 已完成", got)
	}
	bar := run(b, "read the bar", chromedp.Evaluate[[]float64](`[document.getElementById('import-bar').value, document.getElementById('import-bar').max]`))
	if bar[0] != rows || bar[1] != rows {
		t.Errorf("progress bar at %v of %v, want %d of %d", bar[0], bar[1], rows, rows)
	}
	if got := b.Texts("#import-columns tbody tr td:nth-child(4)"); len(got) != 4 || got[0] != "列映射" {
		t.Errorf("column sources %v, want 列映射 first", got)
	}
	b.Check()
}
