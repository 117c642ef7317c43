package catalogio_test

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/unicode"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestUnicodeTextAndRenamedWorkbooks: Excel's "Unicode 文本" (UTF-16LE
// with its byte order mark, tab-separated), named .csv, is read; a
// workbook named .csv is read as the workbook it is, and an .xls (an OLE
// compound file) named .csv is told to be saved as .xlsx, each as the
// format Detect tells (until 2026-12-06 ImportData and ReadHeaders told a
// workbook given as CSV themselves). Until 2026-12-06 all three were read
// as GB18030 text: a garbled header, missing_column.
func TestUnicodeTextAndRenamedWorkbooks(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		tabs := strings.ReplaceAll(csvHeader+good("甲乙信息")+good("乙丙信息"), ",", "\t")
		utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(tabs))
		if err != nil {
			t.Fatal(err)
		}
		var rows [][]string
		for _, l := range strings.Split(strings.TrimSuffix(csvHeader+good("丙丁信息"), "\n"), "\n") {
			rows = append(rows, strings.Split(l, ","))
		}
		for _, c := range []struct {
			name    string
			data    []byte
			created int
		}{{"unicode text", utf16, 2}, {"workbook named .csv", sheetsFile(t, "Sheet1", rows), 1}} {
			f := catalogio.Detect("", "目录.csv", "", c.data)
			rep, err := importFile(w, w.gaj, c.data, f, catalogio.Options{DryRun: true})
			if err != nil || rep.Created != c.created {
				t.Errorf("%s: %v, %d created, errors %v; want %d created", c.name, err, rep.Created, rep.Errors, c.created)
			}
			if h, err := catalogio.ReadHeaders(c.data, f); err != nil || len(h.Entries) == 0 || h.Entries[0] != "资源名称" {
				t.Errorf("%s: headers %v, %v", c.name, h.Entries, err)
			}
		}
		xls := append([]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), make([]byte, 1024)...)
		rep, err := importFile(w, w.gaj, xls, catalogio.Detect("", "目录.csv", "", xls), catalogio.Options{DryRun: true})
		if !catalogio.Rejected(err) || len(rep.Errors) != 1 || !strings.Contains(rep.Errors[0].Message, "旧版 Excel 工作簿（.xls）") {
			t.Errorf("xls named .csv: %v, errors %v; want the .xls message", err, rep.Errors)
		}
	})
}
