package catalogio_test

import (
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// sheetsWorkbook is a workbook of a 目录 sheet of the header 资源名称 and
// 信息项 and one row (户籍人口, 姓名), then cells: a sheet's name (added,
// hidden when it begins with "hidden:", unless it is 目录), a cell and its
// value.
func sheetsWorkbook(t *testing.T, cells [][3]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", catalogio.SheetEntries)
	for cell, v := range map[string]string{"A1": "资源名称", "B1": "信息项", "A2": "户籍人口", "B2": "姓名"} {
		if err := f.SetCellStr(catalogio.SheetEntries, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range cells {
		sheet, hidden := strings.CutPrefix(c[0], "hidden:")
		if i, _ := f.GetSheetIndex(sheet); i < 0 {
			if _, err := f.NewSheet(sheet); err != nil {
				t.Fatal(err)
			}
			if hidden {
				if err := f.SetSheetVisible(sheet, false); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := f.SetCellStr(sheet, c[1], c[2]); err != nil {
			t.Fatal(err)
		}
	}
	return xlsxBytes(t, f)
}

// TestWideCellsOfReadSheets: 4add998 refused a workbook with a cell with
// content beyond column IV in any part, sheets the import never reads
// among them, naming the part (xl/worksheets/sheet2.xml), and a cell
// beyond IV holding an empty text. Only the sheets the import reads are
// checked now, as it reads them, and only for cells excelize reads as
// content: a hidden 代码表 sheet with 01 in ZZ5, a 填报说明 sheet with text
// in IW1 and an empty text in IW2 of 目录 are read (by ReadHeaders and by
// a dry run, its one row); a text in IW2 of 目录 is refused, naming the
// sheet by its name, the row and the column.
func TestWideCellsOfReadSheets(t *testing.T) {
	accepted := map[string][]byte{
		"hidden 代码表 with 01 in ZZ5": sheetsWorkbook(t, [][3]string{{"hidden:代码表", "ZZ5", "01"}}),
		"填报说明 with text in IW1":     sheetsWorkbook(t, [][3]string{{"填报说明", "IW1", "请按说明填写"}}),
		"empty text in IW2 of 目录":   sheetsWorkbook(t, [][3]string{{catalogio.SheetEntries, "IW2", ""}}),
	}
	refused := sheetsWorkbook(t, [][3]string{{catalogio.SheetEntries, "IW2", "备注"}})
	const where = "工作表“目录”第 2 行 IW 列有内容"
	for what, data := range accepted {
		if h, err := catalogio.ReadHeaders(data, catalogio.XLSX); err != nil || strings.Join(h.Entries, ",") != "资源名称,信息项" {
			t.Errorf("%s: ReadHeaders %v, %v, want 资源名称,信息项", what, h.Entries, err)
		}
	}
	if _, err := catalogio.ReadHeaders(refused, catalogio.XLSX); err != nil {
		t.Errorf("text in IW2: ReadHeaders %v, want the header read (row 1 only)", err)
	}
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		for what, data := range accepted {
			rep, err := importFile(w, w.gaj, data, catalogio.XLSX, catalogio.Options{DryRun: true})
			if e := errs.As(err); err != nil && e.Code == "workbook_too_large" || rep.Rows != 1 {
				t.Errorf("%s: got %v, %d rows, want the row read", what, err, rep.Rows)
			}
		}
		_, err := importFile(w, w.gaj, refused, catalogio.XLSX, catalogio.Options{DryRun: true})
		if e := errs.As(err); e == nil || e.Code != "workbook_too_large" || e.Field != "file" || !strings.Contains(e.Message, where) {
			t.Errorf("text in IW2: got %v, want workbook_too_large naming %s", err, where)
		}
	})
}
