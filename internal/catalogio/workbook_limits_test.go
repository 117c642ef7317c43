package catalogio_test

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/errs"
)

// A workbook part over its limit is refused with its size and the limit
// said exactly, in one unit (binary megabytes, called MB as Windows calls
// them, until 2026-12-05 MiB; bytes when not whole): 16 MiB and a byte was
// said "16 MB，超过 16 MB 上限", rounded down.
func TestWorkbookLimitMessage(t *testing.T) {
	part := func(name string, size int) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(bytes.Repeat([]byte(" "), size)); err != nil {
			t.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	// declared is a workbook of parts declaring sizes (by name) they do not
	// hold: the limits are checked on the declared sizes, before anything
	// is unpacked.
	declared := func(sizes ...any) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for i := 0; i < len(sizes); i += 2 {
			if _, err := zw.CreateRaw(&zip.FileHeader{Name: sizes[i].(string), Method: zip.Deflate,
				UncompressedSize64: uint64(sizes[i+1].(int))}); err != nil {
				t.Fatal(err)
			}
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	const mib = 1 << 20
	for _, c := range []struct {
		what string
		file []byte
		want string
	}{
		{"styles 16 MiB and a byte", part("xl/styles.xml", 16*mib+1), "“xl/styles.xml”解压后 16777217 字节，超过 16 MB 上限"},
		{"styles 17 MiB", part("xl/styles.xml", 17*mib), "“xl/styles.xml”解压后 17 MB，超过 16 MB 上限"},
		{"sheet", declared("xl/worksheets/sheet1.xml", 782*mib+1), "解压后 819986433 字节，超过 782 MB 上限"},
		{"shared strings", declared("xl/sharedStrings.xml", 246*mib), "解压后 246 MB，超过 245 MB 上限"},
		// excelize matches the names as they are, lowercased: a leading
		// slash makes a part one it reads whole.
		{"shared strings with a leading slash", declared("/xl/sharedStrings.xml", 17*mib),
			"“/xl/sharedStrings.xml”解压后 17 MB，超过 16 MB 上限"},
		{"sheet with a leading slash", declared("/xl/worksheets/sheet1.xml", 17*mib),
			"“/xl/worksheets/sheet1.xml”解压后 17 MB，超过 16 MB 上限"},
		{"worksheet part not named sheet*", declared("xl/worksheets/a.xml", 17*mib),
			"“xl/worksheets/a.xml”解压后 17 MB，超过 16 MB 上限"},
		// Sheets of up to 16 MiB are held in memory, and count.
		{"parts in memory", declared("xl/worksheets/sheet1.xml", 16*mib, "xl/worksheets/sheet2.xml", 16*mib,
			"xl/sharedStrings.xml", 16*mib, "xl/styles.xml", 16*mib, "xl/media/image1.png", 1),
			"需整体读入内存的部分（至“xl/media/image1.png”）解压后共 67108865 字节，超过 64 MB 上限"},
		{"all parts", declared("xl/worksheets/sheet1.xml", 782*mib, "xl/worksheets/sheet2.xml", 782*mib,
			"xl/sharedStrings.xml", 245*mib, "a.xml", 16*mib, "b.xml", 16*mib, "c.xml", 16*mib, "d.xml", 16*mib, "e.xml", 1),
			"解压后超过 1873 MB 上限"},
	} {
		_, err := catalogio.ReadHeaders(c.file, catalogio.XLSX)
		e := errs.As(err)
		if e == nil || e.Code != "workbook_too_large" || !strings.Contains(e.Message, c.want) || strings.Contains(e.Message, "MiB") {
			t.Errorf("%s: %v; want workbook_too_large saying %s", c.what, err, c.want)
		}
	}
	// At the limits exactly, nothing is refused for its size.
	_, err := catalogio.ReadHeaders(declared("xl/worksheets/sheet1.xml", 782*mib, "xl/worksheets/sheet2.xml", 782*mib,
		"xl/sharedStrings.xml", 245*mib, "a.xml", 16*mib, "b.xml", 16*mib, "c.xml", 16*mib, "d.xml", 16*mib), catalogio.XLSX)
	if e := errs.As(err); e != nil && e.Code == "workbook_too_large" {
		t.Errorf("parts at their limits: %v", err)
	}
}
