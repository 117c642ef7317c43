package web_test

import (
	"net/http"
	"testing"

	"golang.org/x/text/encoding/unicode"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCatalogMappingFormatDetected: the column-mapping page reads the
// headers of a file told as the import tells it (catalogio.Detect), so
// that every file the import reads has its headers listed: a workbook
// without an extension or named .csv, and Excel's Unicode 文本 named .txt
// or without an extension. Until 2026-12-06 the page told a file by name
// and media type alone: it refused the extension-less workbook and the
// Unicode 文本 (只能读取 .xlsx 或 .csv 文件的表头), which the import
// reads.
func TestCatalogMappingFormatDetected(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		tok := c.login("police.admin")
		createEntry(t, c, entryForm(tok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes"))
		x := c.get("/catalog/export?format=xlsx")
		wantStatus(t, "export xlsx", x, http.StatusOK)
		u16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String("目录名称\t数源单位\t更新频率\n人口\t公安\t每日\n")
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name, data, header string
		}{
			{"目录", x.Body, "资源名称"},
			{"目录.csv", x.Body, "资源名称"},
			{"目录.txt", u16, "目录名称"},
			{"目录", u16, "目录名称"},
		} {
			r := c.upload("/catalog/import-mappings/new", tok, tc.name, []byte(tc.data))
			wantStatus(t, tc.name, r, http.StatusOK)
			wantBody(t, tc.name, r, `name="header" value="`+tc.header+`"`, `id="mapping-form"`)
			wantNoBody(t, tc.name, r, "只能读取")
		}
	})
}
