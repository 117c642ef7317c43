package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/unicode"

	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestImportCatalogOldWorkbook: an .xls, and a workbook of a name that
// says no format, are told by their name and their start, not refused as
// of unknown format (无法判断格式): the import says to save an .xls as .xlsx.
func TestImportCatalogOldWorkbook(t *testing.T) {
	vars := map[string]string{"HUTONG_DB": filepath.Join(t.TempDir(), "h.db")}
	must := mustHutong(t, vars)
	must("migrate")
	mustNanhai(must)
	must("org", "department-create", "-name", "南海区市场监督管理局", "-short", "区市监局", "-uscc", "11440605MB2C9235XX", "-region", "440605")
	ole := "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + strings.Repeat("\x00", 512)
	for _, name := range []string{"目录.xls", "目录.XLS", "目录"} {
		out, err := hutong(t, vars, "import", "catalog", "-file", tempFile(t, name, ole), "-department", "区市监局")
		if !errors.Is(err, errReported) || !strings.Contains(out, "旧版 Excel 工作簿（.xls）") {
			t.Errorf("%s: got %v\n%s", name, err, out)
		}
	}
}

// TestImportCatalogUnicodeText: Excel's Unicode 文本 (UTF-16 with its byte
// order mark, tab-separated), which Excel saves as .txt, is imported as
// CSV, named .txt or told by its byte order mark; until 2026-12-06 the
// import said 无法判断格式 of both.
func TestImportCatalogUnicodeText(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		vars := map[string]string{"HUTONG_DB": dsn}
		must := mustHutong(t, vars)
		cliDepartments(must)
		for i, name := range []string{"u16.txt", "u16"} {
			text := strings.ReplaceAll(strings.Replace(cliCatalogCSV, "登记信息", fmt.Sprintf("登记信息%d", i), 1), ",", "\t")
			data, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(text)
			if err != nil {
				t.Fatal(err)
			}
			out, err := hutong(t, vars, "import", "catalog", "-file", tempFile(t, name, data), "-department", "区市监局")
			if err != nil || !strings.Contains(out, "读取 1 个数据资源（csv）") {
				t.Errorf("%s: got %v\n%s", name, err, out)
			}
		}
	})
}
