package catalogio_test

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCSVRowBounds: encoding/csv reads a row whole and makes a string of
// each cell: a catalog CSV of one row of 8,000,000 commas, 8 MB, had a dry
// run allocate some 1 GB. A row of more than 256 columns (maxColumn, a
// workbook's bound) is malformed_csv now, one over 1 MiB line_too_long,
// each naming the row (as Excel numbers it: a quoted line break above is
// no row), refused by a dry run, which allocates under 64 MB and reads no
// row after it, and by the mapping editor's ReadHeaders (a header of
// 8,000,000 commas).
func TestCSVRowBounds(t *testing.T) {
	const budget = 64 << 20
	const head = "资源名称,摘要\n户籍人口,\"辖区\n户籍人口\"\n"
	commas := head + "常住人口," + strings.Repeat(",", 8_000_000) + "\n流动人口,x\n"
	long := head + "常住人口," + strings.Repeat("长", 3_000_000) + "\n流动人口,x\n"
	var err error
	n := allocated(func() { _, err = catalogio.ReadHeaders([]byte(strings.Repeat(",", 8_000_000)), catalogio.CSV) })
	t.Logf("ReadHeaders of a header of 8,000,000 commas allocated %d KB", n>>10)
	if e := errs.As(err); e == nil || e.Code != "malformed_csv" || !strings.Contains(e.Message, "第 1 行超过 256 列") || n > budget {
		t.Errorf("header of 8,000,000 commas: %v, %d MB allocated, want malformed_csv of row 1 under %d MB", err, n>>20, budget>>20)
	}
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		for _, c := range []struct {
			what, file, code, msg string
		}{
			{"commas", commas, "malformed_csv", "CSV 第 3 行超过 256 列"},
			{"long cell", long, "line_too_long", "CSV 第 3 行超过 1 MiB"},
		} {
			var rep *catalogio.Report
			var err error
			n := allocated(func() {
				rep, err = importFile(w, w.gaj, []byte(c.file), catalogio.CSV, catalogio.Options{DryRun: true})
			})
			t.Logf("%s: dry run allocated %d KB", c.what, n>>10)
			if n > budget {
				t.Errorf("%s: dry run allocated %d MB, want under %d MB", c.what, n>>20, budget>>20)
			}
			if e := errs.As(err); e == nil || e.Code != "import_rejected" || rep.Rows != 1 {
				t.Fatalf("%s: got %v, %d rows, want import_rejected of the row before", c.what, err, rep.Rows)
			}
			found := false
			for _, re := range rep.Errors {
				found = found || re.Code == c.code && re.Row == 3 && strings.HasPrefix(re.Message, c.msg)
			}
			if !found {
				t.Errorf("%s: errors %+v, want %s of row 3: %s", c.what, rep.Errors, c.code, c.msg)
			}
		}
	})
}

// TestCSVRowBoundAsUploaded: a CSV row is bounded by its bytes as
// uploaded, not as decoded: a GB18030 file with a row of 800 KB, 1.2 MB
// once decoded to UTF-8, was refused line_too_long; it is read now (by
// ReadHeaders too, its header as long), and a row of 1 MiB and a byte,
// its line break aside, is refused.
func TestCSVRowBoundAsUploaded(t *testing.T) {
	gb := func(s string) []byte {
		b, err := simplifiedchinese.GB18030.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return []byte(b)
	}
	long := strings.Repeat("长", 400_000)
	if h, err := catalogio.ReadHeaders(gb("资源名称,"+long+"\r\n"), catalogio.CSV); err != nil || len(h.Entries) != 2 {
		t.Errorf("header of 800 KB: %v, want read", err)
	}
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		for _, c := range []struct {
			what, file string
			rows       int
			code       string
		}{
			{"800 KB", "资源名称,摘要\r\n常住人口," + long + "\r\n流动人口,x\r\n", 2, ""},
			// 常住人口, is 9 bytes in GB18030, 长 2.
			{"1 MiB", "资源名称,摘要\r\n常住人口," + strings.Repeat("长", (1<<20-10)/2) + "x\r\n流动人口,x\r\n", 2, ""},
			{"1 MiB and a byte", "资源名称,摘要\r\n常住人口," + strings.Repeat("长", (1<<20-10)/2) + "xx\r\n流动人口,x\r\n", 0, "line_too_long"},
		} {
			data := gb(c.file)
			rep, err := importFile(w, w.gaj, data, catalogio.CSV, catalogio.Options{DryRun: true})
			found := false
			for _, re := range rep.Errors {
				found = found || re.Code == "line_too_long"
			}
			if rep.Rows != c.rows || found != (c.code != "") {
				t.Errorf("%s (%d bytes): %v, %d rows, errors %+v, want %d rows, line_too_long %v", c.what, len(data), err, rep.Rows, rep.Errors, c.rows, c.code != "")
			}
		}
	})
}
