package catalogio

import (
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// liveHeap returns the bytes of the heap in use after a collection.
func liveHeap() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestRowsHoldFilledCells: a table kept each row as a slice as long as its
// last filled column, so a header 256 columns wide and 20,000 rows of one
// cell in its last column, IV (a workbook of some 1 MB unpacked, a CSV of
// 5 MB), held 20,000 rows of 256 strings: 80 MB. Rows keep only their
// filled cells now, under 16 MB held in all, read as before.
func TestRowsHoldFilledCells(t *testing.T) {
	const rows = 20000
	header := make([]any, maxColumn)
	for i := range header {
		header[i] = "列" + strconv.Itoa(i+1)
	}
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	if err := sw.SetRow("A1", header); err != nil {
		t.Fatal(err)
	}
	for n := 2; n < rows+2; n++ {
		if err := sw.SetRow("IV"+strconv.Itoa(n), []any{"x"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	wb, rerr := openWorkbook(buf.Bytes())
	if rerr != nil {
		t.Fatal(rerr)
	}
	defer wb.Close()
	csvFile := []byte(strings.Repeat("列,", maxColumn-1) + "列\n" + strings.Repeat(strings.Repeat(",", maxColumn-1)+"x\n", rows))
	for _, c := range []struct {
		what string
		read func() (*table, *RowError)
	}{
		{"workbook", func() (*table, *RowError) { return readSheet(wb, buf.Bytes(), "Sheet1") }},
		{"CSV", func() (*table, *RowError) { return readCSV(csvFile) }},
	} {
		before := liveHeap()
		tb, rerr := c.read()
		held := int64(liveHeap()) - int64(before)
		t.Logf("%s: %d KB held", c.what, held>>10)
		if rerr != nil || len(tb.rows) != rows || len(tb.header) != maxColumn {
			t.Fatalf("%s: %d rows, header of %d, %v", c.what, len(tb.rows), len(tb.header), rerr)
		}
		if held > 16<<20 {
			t.Errorf("%s: rows held %d MB, want under 16 MB", c.what, held>>20)
		}
		if v := cell(tb.rows[0].cells, map[string]int{"x": maxColumn - 1}, "x"); v != "x" {
			t.Errorf("%s: last column of row 2 reads %q, want x", c.what, v)
		}
		runtime.KeepAlive(tb)
	}
}
