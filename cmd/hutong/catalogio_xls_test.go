package main

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
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
