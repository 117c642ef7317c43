package catalogio_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// bombWorkbook is a valid workbook of one 目录 sheet (a header and one
// entry) whose xl/sharedStrings.xml holds n times <si><t>a</t></si>: some
// hundreds of kilobytes on disk, 16n bytes unpacked; and for each of extra
// a part of that name holding that many spaces.
func bombWorkbook(t testing.TB, n int, extra ...extraPart) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	part := func(name, body string) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	part("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`)
	part("_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	part("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="目录" sheetId="1" r:id="rId1"/></sheets></workbook>`)
	part("xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`)
	part("xl/worksheets/sheet1.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>资源名称</t></is></c></row><row r="2"><c r="A2" t="s"><v>0</v></c></row></sheetData></worksheet>`)
	w, err := zw.Create("xl/sharedStrings.xml")
	if err != nil {
		t.Fatal(err)
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	bw.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
	for range n {
		bw.WriteString(`<si><t>a</t></si>`)
	}
	bw.WriteString(`</sst>`)
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	spaces := bytes.Repeat([]byte(" "), 1<<20)
	for _, p := range extra {
		w, err := zw.Create(p.name)
		if err != nil {
			t.Fatal(err)
		}
		for left := p.size; left > 0; left -= len(spaces) {
			if _, err := w.Write(spaces[:min(left, len(spaces))]); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// extraPart is a part of a workbook of size spaces.
type extraPart struct {
	name string
	size int
}

// allocated returns the bytes f allocated.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestWorkbookBomb: a 300 KB workbook whose shared strings unpack to 119
// MB (7,000,000 strings) was parsed whole, 2.5 GB allocated, before it was
// refused. It is refused now by the sizes and the count of its parts,
// workbook_too_large on the field file, by the import (a dry run and a
// real one) and by the mapping editor's ReadHeaders, each allocating
// little more than the file; a workbook of realistic size, and a small
// one with shared strings, still import.
func TestWorkbookBomb(t *testing.T) {
	bomb := bombWorkbook(t, 7_000_000)
	if len(bomb) > 1<<20 {
		t.Fatalf("bomb is %d bytes, want under 1 MB", len(bomb))
	}
	const budget = 32 << 20
	refused := func(t *testing.T, what string, err error) {
		t.Helper()
		if e := errs.As(err); e == nil || e.Code != "workbook_too_large" || e.Field != "file" || e.Kind != errs.Invalid ||
			!strings.Contains(e.Message, "工作簿过大") {
			t.Fatalf("%s: got %v, want workbook_too_large on file", what, err)
		}
	}
	var herr error
	if n := allocated(func() { _, herr = catalogio.ReadHeaders(bomb, catalogio.XLSX) }); n > budget {
		t.Errorf("ReadHeaders allocated %d MB, want under %d MB", n>>20, budget>>20)
	}
	refused(t, "ReadHeaders", herr)
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		for _, dry := range []bool{true, false} {
			var err error
			if n := allocated(func() {
				_, err = importFile(w, w.gaj, bomb, catalogio.XLSX, catalogio.Options{DryRun: dry})
			}); n > budget {
				t.Errorf("dry run %v: import allocated %d MB, want under %d MB", dry, n>>20, budget>>20)
			}
			refused(t, "import", err)
		}
		rep, err := importFile(w, w.gaj, bombWorkbook(t, 1), catalogio.XLSX, catalogio.Options{DryRun: true})
		if e := errs.As(err); e == nil || e.Code != "import_rejected" || len(rep.Errors) == 0 || rep.Errors[0].Code == "workbook_too_large" {
			t.Fatalf("small shared strings: got %v %+v, want the rows' errors", err, rep)
		}
		if rep.Rows != 1 {
			t.Fatalf("small shared strings: read %d rows, want 1", rep.Rows)
		}
		rep, err = importFile(w, w.gaj, workbook(t, 1000), catalogio.XLSX, catalogio.Options{})
		if err != nil || rep.Created != 1000 {
			t.Fatalf("realistic workbook: created %d, err %v", rep.Created, err)
		}
	})
}

// TestWorkbookPartsInMemory: checkWorkbook gave every part under
// xl/worksheets/ a worksheet's limit, 782 MiB, where excelize unpacks to a
// temporary file only those whose name starts with xl/worksheets/sheet and
// reads every other whole into memory (two parts xl/worksheets/a.xml and
// b.xml of 780 MB, a 1.5 MB file, took ReadHeaders to 4.7 GB); and it
// bounded each part in memory but not their sum (twenty pictures of 15 MB,
// 303 KB packed, allocated 900 MB). Such a part now has the 16 MiB limit,
// and the parts held in memory 64 MiB together: both workbooks are refused
// with workbook_too_large, by ReadHeaders and the import, before excelize
// reads them.
func TestWorkbookPartsInMemory(t *testing.T) {
	const budget = 8 << 20
	var media []extraPart
	for i := range 5 {
		media = append(media, extraPart{fmt.Sprintf("xl/media/junk%d.bin", i), 15_000_000})
	}
	pictures := bombWorkbook(t, 1, media...)
	// Every part of it is held in memory: the sum of all of them.
	zr, err := zip.NewReader(bytes.NewReader(pictures), int64(len(pictures)))
	if err != nil {
		t.Fatal(err)
	}
	var held uint64
	for _, zf := range zr.File {
		held += zf.UncompressedSize64
	}
	for _, c := range []struct {
		what string
		file []byte
		want string
	}{
		{"worksheet part not named sheet*", bombWorkbook(t, 1, extraPart{"xl/worksheets/a.xml", 20 << 20}),
			"“xl/worksheets/a.xml”解压后 20 MB，超过 16 MB 上限"},
		{"pictures", pictures, fmt.Sprintf("需整体读入内存的部分（至“xl/media/junk4.bin”）解压后共 %d 字节，超过 64 MB 上限", held)},
	} {
		if len(c.file) > 1<<20 {
			t.Fatalf("%s: workbook is %d bytes, want under 1 MB", c.what, len(c.file))
		}
		refused := func(what string, err error) {
			t.Helper()
			if e := errs.As(err); e == nil || e.Code != "workbook_too_large" || e.Field != "file" || !strings.Contains(e.Message, c.want) {
				t.Errorf("%s: %s: got %v, want workbook_too_large saying %s", c.what, what, err, c.want)
			}
		}
		var err error
		if n := allocated(func() { _, err = catalogio.ReadHeaders(c.file, catalogio.XLSX) }); n > budget {
			t.Errorf("%s: ReadHeaders allocated %d MB, want under %d MB", c.what, n>>20, budget>>20)
		}
		refused("ReadHeaders", err)
		sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
			w := newWorld(t, db)
			_, err := importFile(w, w.gaj, c.file, catalogio.XLSX, catalogio.Options{DryRun: true})
			refused("import", err)
		})
	}
}
