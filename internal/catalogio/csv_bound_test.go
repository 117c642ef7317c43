package catalogio_test

import (
	"strings"
	"testing"

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
