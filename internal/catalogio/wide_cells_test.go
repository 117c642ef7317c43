package catalogio_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// wideWorkbook is a 目录 sheet of the header 资源名称 in A1 and rows data
// rows, each one cell, x, in column col (the audit's workbook, in XFD).
func wideWorkbook(t *testing.T, col string, rows int) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", catalogio.SheetEntries)
	sw, err := f.NewStreamWriter(catalogio.SheetEntries)
	if err != nil {
		t.Fatal(err)
	}
	if err := sw.SetRow("A1", []any{"资源名称"}); err != nil {
		t.Fatal(err)
	}
	for n := 2; n < rows+2; n++ {
		if err := sw.SetRow(col+strconv.Itoa(n), []any{"x"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	return xlsxBytes(t, f)
}

// xlsxBytes returns the workbook f written out.
func xlsxBytes(t *testing.T, f *excelize.File) []byte {
	t.Helper()
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestWorkbookWideCells: excelize returns a row as long as its last
// filled column, so 1,000 rows of one cell in XFD, a 7 KB workbook, made
// 1,000 rows of 16,384 cells, some 500 MB allocated (and held) by a dry
// run. A cell with content beyond column IV (256) is refused now, at its
// row, the first such (tooWide), with workbook_too_large naming its sheet,
// row and column, by the import and by the mapping editor's ReadHeaders (a
// header cell in XFD too), allocating under 50 MB; the same rows in IV,
// the last column read, are read as rows, the entries' names missing.
func TestWorkbookWideCells(t *testing.T) {
	const budget = 50 << 20
	wide := wideWorkbook(t, "XFD", 1000)
	if len(wide) > 16<<10 {
		t.Fatalf("workbook is %d bytes, want under 16 KB", len(wide))
	}
	refused := func(t *testing.T, what string, err error, where string) {
		t.Helper()
		if e := errs.As(err); e == nil || e.Code != "workbook_too_large" || e.Field != "file" || !strings.Contains(e.Message, where) {
			t.Errorf("%s: got %v, want workbook_too_large on file naming %s", what, err, where)
		}
	}
	f := excelize.NewFile()
	f.SetCellValue("Sheet1", "A1", "资源名称")
	f.SetCellValue("Sheet1", "XFD1", "备注")
	header := xlsxBytes(t, f)
	f.Close()
	var herr error
	if n := allocated(func() { _, herr = catalogio.ReadHeaders(header, catalogio.XLSX) }); n > budget {
		t.Errorf("ReadHeaders of a header cell in XFD allocated %d MB, want under %d MB", n>>20, budget>>20)
	}
	refused(t, "header cell in XFD", herr, "工作表“Sheet1”第 1 行 XFD 列有内容")
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		var err error
		n := allocated(func() { _, err = importFile(w, w.gaj, wide, catalogio.XLSX, catalogio.Options{DryRun: true}) })
		t.Logf("dry run of 1,000 rows in XFD allocated %d KB", n>>10)
		if n > budget {
			t.Errorf("dry run allocated %d MB, want under %d MB", n>>20, budget>>20)
		}
		refused(t, "import", err, "工作表“目录”第 2 行 XFD 列有内容")
		rep, err := importFile(w, w.gaj, wideWorkbook(t, "IV", 3), catalogio.XLSX, catalogio.Options{DryRun: true})
		if e := errs.As(err); e == nil || e.Code != "import_rejected" || rep.Rows != 3 {
			t.Fatalf("rows in IV: got %v, %d rows, want import_rejected of 3 rows", err, rep.Rows)
		}
	})
}
