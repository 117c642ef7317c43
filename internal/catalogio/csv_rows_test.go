package catalogio_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCSVRowsAsExcel: a CSV row is numbered as Excel shows it, however many
// line breaks the cells above it hold, where the line of the file it began
// on was reported (row 5 for Excel's row 3 under a 摘要 of three lines). A
// blank line is a row of its own, as in Excel; a malformed row's number is
// Excel's too.
func TestCSVRowsAsExcel(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		multi := strings.Replace(good("多行摘要"), ",摘要,", ",\"第一行\n第二行\r\n第三行\",", 1)
		bad := func(name string) string { return strings.Replace(good(name), "公共安全", "", 1) }
		file := csvHeader + multi + bad("领域错误一") + "\n" + bad("领域错误二")
		rep, err := importFile(w, w.gaj, []byte(file), catalogio.CSV, catalogio.Options{DryRun: true})
		if !catalogio.Rejected(err) {
			t.Fatalf("got err %v, want import_rejected", err)
		}
		var rows []int
		for _, e := range rep.Errors {
			rows = append(rows, e.Row)
		}
		if len(rows) != 2 || rows[0] != 3 || rows[1] != 5 {
			t.Errorf("got errors at rows %v (%v), want 3 and 5", rows, rep.Errors)
		}

		broken := csvHeader + multi + "\"未闭合,\n"
		rep, _ = importFile(w, w.gaj, []byte(broken), catalogio.CSV, catalogio.Options{DryRun: true})
		if len(rep.Errors) != 1 || rep.Errors[0].Code != "malformed_csv" || rep.Errors[0].Row != 3 ||
			!strings.Contains(rep.Errors[0].Message, "第 3 行") {
			t.Errorf("got %v, want malformed_csv at row 3", rep.Errors)
		}
	})
}
