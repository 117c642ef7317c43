package catalogio

import (
	"fmt"
	"testing"

	"github.com/xuri/excelize/v2"
)

// wideSheet is a one-sheet workbook (目录) of a header and rows rows of
// cols columns of text (its header 资源名称 and 信息项 first), as the
// reviewer's 60,000 × 30 workbook.
func wideSheet(tb testing.TB, rows, cols int) []byte {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", SheetEntries)
	sw, err := f.NewStreamWriter(SheetEntries)
	if err != nil {
		tb.Fatal(err)
	}
	row := make([]any, cols)
	for n := 1; n <= rows+1; n++ {
		for c := range row {
			row[c] = fmt.Sprintf("第%d行第%d列的值", n, c+1)
		}
		if n == 1 {
			row[0], row[1] = "资源名称", "信息项"
		}
		cell, _ := excelize.CoordinatesToCellName(1, n)
		if err := sw.SetRow(cell, row); err != nil {
			tb.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		tb.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkReadWorkbook reads a workbook of 60,000 rows of 30 columns as
// the mapping editor does (ReadHeaders, its header row only) and as an
// import does before it stores anything (checkWorkbook, then parse).
func BenchmarkReadWorkbook(b *testing.B) {
	data := wideSheet(b, 60000, 30)
	b.Logf("workbook of %d bytes", len(data))
	b.Run("ReadHeaders", func(b *testing.B) {
		for b.Loop() {
			if _, err := ReadHeaders(data, XLSX); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parse", func(b *testing.B) {
		for b.Loop() {
			if err := checkWorkbook(data); err != nil {
				b.Fatal(err)
			}
			if p := parse(data, XLSX, nil); len(p.records) != 60000 {
				b.Fatalf("%d records, %v", len(p.records), p.errs)
			}
		}
	})
}
