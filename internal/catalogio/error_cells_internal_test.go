package catalogio

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestErrorCellTypeStreamed: a cell whose text is a spreadsheet's error
// value is told one (errCols) by its type as the sheet's part holds it, e
// for a formula that failed, not by excelize reading the whole sheet into
// memory for it (GetCellType), as it was until 2026-12-06: the sheet is
// read as a stream only, and text #N/A, whether a shared string, an
// inline string or a formula's text, is a value. So it is of parts
// declaring another encoding than UTF-8 (GBK, gb2312, ISO-8859-1), read
// as excelize reads them (until 2026-12-06 such a sheet's type e cell was
// the text #N/A); a sheet whose part cannot be read so (the data given
// cut short) is read whole to tell its cells' types, as before.
func TestErrorCellTypeStreamed(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"资源名称", "摘要"})
	for r := 2; r <= 6; r++ {
		f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", r), &[]any{fmt.Sprintf("资源%d", r), "#N/A"})
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	data := rewritePart(t, buf.Bytes(), "xl/worksheets/sheet1.xml", map[string]string{
		"B2": `<c r="B2" t="str"><f>"#N/A"</f><v>#N/A</v></c>`,
		"B3": `<c r="B3" t="e"><f>NA()</f><v>#N/A</v></c>`,
		"B4": `<c r="B4" t="inlineStr"><is><t>#N/A</t></is></c>`,
		"B6": `<c r="B6" t="e"><f>VLOOKUP(A6,B:B,2,0)</f><v>#N/A</v></c>`,
	})
	declare := func(data []byte, encodings map[string]string) []byte {
		for name, enc := range encodings {
			data = editPart(t, data, name, func(b []byte) []byte {
				return bytes.Replace(b, []byte(`encoding="UTF-8"`), []byte(`encoding="`+enc+`"`), 1)
			})
		}
		return data
	}
	for _, c := range []struct {
		name string
		// read is the workbook excelize opens, data what readSheet is
		// given of it.
		read, data []byte
		streamed   bool
	}{
		{"UTF-8", data, data, true},
		{"GBK sheet", declare(data, map[string]string{"xl/worksheets/sheet1.xml": "GBK"}), nil, true},
		{"gb2312 workbook", declare(data, map[string]string{"xl/workbook.xml": "gb2312",
			"xl/_rels/workbook.xml.rels": "ISO-8859-1", "_rels/.rels": "ISO-8859-1"}), nil, true},
		{"unreadable", data, data[:len(data)/2], false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.data == nil {
				c.data = c.read
			}
			wb, rerr := openWorkbook(c.read)
			if rerr != nil {
				t.Fatal(rerr)
			}
			defer wb.Close()
			tb, rerr := readSheet(wb, c.data, "Sheet1")
			if rerr != nil || len(tb.rows) != 5 {
				t.Fatalf("%d rows, %v", len(tb.rows), rerr)
			}
			for _, row := range tb.rows {
				want := []int(nil)
				if row.n == 3 || row.n == 6 {
					want = []int{1}
				}
				if !slices.Equal(row.errCols, want) || row.cells[1].v != "#N/A" {
					t.Errorf("row %d: cells %v, error columns %v, want %v", row.n, row.cells, row.errCols, want)
				}
			}
			loaded := 0
			wb.Sheet.Range(func(k, v any) bool {
				loaded++
				return true
			})
			if c.streamed && loaded > 0 {
				t.Errorf("%d sheets read whole, want the sheet streamed only", loaded)
			}
		})
	}
}

// rewritePart returns the zip archive data with the cells of its part
// name replaced by cells (a reference → its XML).
func rewritePart(t *testing.T, data []byte, name string, cells map[string]string) []byte {
	t.Helper()
	return editPart(t, data, name, func(b []byte) []byte {
		for ref, xml := range cells {
			re := regexp.MustCompile(`<c r="` + ref + `"[^>]*>.*?</c>`)
			if !re.Match(b) {
				t.Fatalf("no cell %s in %s", ref, b)
			}
			b = re.ReplaceAllLiteral(b, []byte(xml))
		}
		return b
	})
}

// editPart returns the zip archive data with its part name replaced by
// what edit makes of it.
func editPart(t *testing.T, data []byte, name string, edit func([]byte) []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	found := false
	for _, zf := range zr.File {
		r, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		if zf.Name == name {
			b, found = edit(b), true
		}
		w, err := zw.Create(zf.Name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	if !found {
		t.Fatalf("no part %s", name)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}
