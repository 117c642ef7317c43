package catalogio_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestHiddenFirstSheet: a workbook without a 目录 sheet is read from its
// first sheet that is not hidden, not from a hidden 字典 sheet of
// drop-down values before it (until 2026-12-06 the first sheet, hidden or
// not: missing_column 资源名称 of the 字典's header), by the import and by
// ReadHeaders; a missing 资源名称 names the sheet read.
func TestHiddenFirstSheet(t *testing.T) {
	var rows [][]string
	for _, l := range strings.Split(strings.TrimSuffix(csvHeader+good("营业执照信息"), "\n"), "\n") {
		rows = append(rows, strings.Split(l, ","))
	}
	dict := [][]string{{"共享类型", "开放属性"}, {"无条件共享", "不予开放"}, {"有条件共享", "有条件开放"}}
	data := sheetsFile(t, "字典", dict, "数据资源", rows)
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	f.SetActiveSheet(1) // excelize hides no active sheet
	if err := f.SetSheetVisible("字典", false); err != nil {
		t.Fatal(err)
	}
	hidden := xlsxBytes(t, f)
	f.Close()
	if h, err := catalogio.ReadHeaders(hidden, catalogio.XLSX); err != nil || len(h.Entries) == 0 || h.Entries[0] != "资源名称" {
		t.Errorf("ReadHeaders: %v, %v; want the 数据资源 sheet's", h.Entries, err)
	}
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		rep, err := importFile(w, w.gaj, hidden, catalogio.XLSX, catalogio.Options{DryRun: true})
		if err != nil || rep.Created != 1 {
			t.Errorf("hidden 字典 first: %v, %d created, errors %v; want 1 created from 数据资源", err, rep.Created, rep.Errors)
		}
		rep, _ = importFile(w, w.gaj, data, catalogio.XLSX, catalogio.Options{DryRun: true})
		if len(rep.Errors) != 1 || !strings.HasPrefix(rep.Errors[0].Message, "工作表“字典”缺少列“资源名称”") {
			t.Errorf("visible 字典 first: errors %v, want the missing 资源名称 of 工作表“字典”", rep.Errors)
		}
	})
}
