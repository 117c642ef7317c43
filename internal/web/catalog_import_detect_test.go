package web_test

import (
	"net/http"
	"testing"

	"golang.org/x/text/encoding/unicode"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCatalogImportFormatDetected: the import page tells a file's format
// as hutong import catalog and the API do (catalogio.Detect): a workbook
// without an extension by its start, and Excel's Unicode 文本 without an
// extension by its byte order mark. Until 2026-12-06 the page told it by
// name and media type alone and refused both: 只能导入 .xlsx、.csv…
func TestCatalogImportFormatDetected(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		tok := c.login("police.admin")
		createEntry(t, c, entryForm(tok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes"))
		x := c.get("/catalog/export?format=xlsx")
		wantStatus(t, "export xlsx", x, http.StatusOK)
		r := c.upload("/catalog/import", tok, "目录", []byte(x.Body), "dry_run", "yes")
		wantStatus(t, "workbook without an extension", r, http.StatusOK)
		wantBody(t, "workbook without an extension", r, "试导入，未保存任何数据")

		file := "资源名称\t摘要\t资源分类(类)\t项代码\t项名称\t目代码\t目名称\t资源格式\t共享类型\t共享方式\t共享范围\t开放属性\t更新周期\t安全级别\t所属领域\t数据主体\t信息项名称\t数据类型\t长度\n" +
			"登记信息\t登记\t部门信息资源\t01\t综合\t001\t登记\t电子表格\t无条件共享\t查询\t全区\t不予开放\t每年\t1\t公共安全\t不涉及\t编号\tC\t20\n"
		data, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(file)
		if err != nil {
			t.Fatal(err)
		}
		r = c.upload("/catalog/import", tok, "目录", []byte(data), "dry_run", "yes")
		wantStatus(t, "unicode text without an extension", r, http.StatusUnprocessableEntity)
		wantBody(t, "unicode text without an extension", r, "网络环境应为互联网、政务外网或部门专网")
		wantNoBody(t, "unicode text without an extension", r, "只能导入")
	})
}
