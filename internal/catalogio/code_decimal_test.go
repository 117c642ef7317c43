package catalogio_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCodeAsDecimal: a classification code a spreadsheet wrote as a decimal
// (项代码 1.00, 目代码 2.000) is padded as 1.0 is (01, 002), where only .0
// was taken off and 1.00 was refused; a code still not one (1.5) is an error
// quoting the cell's value.
func TestCodeAsDecimal(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		file := csvHeader + strings.Replace(good("小数代码"), ",01,综合,001,", ",1.00,综合,2.000,", 1) +
			strings.Replace(good("坏代码"), ",01,综合,", ",1.5,综合,", 1)
		rep, err := importFile(w, w.gaj, []byte(file), catalogio.CSV, catalogio.Options{DryRun: true})
		if !catalogio.Rejected(err) {
			t.Fatalf("got err %v, want import_rejected for 1.5", err)
		}
		if len(rep.Errors) != 1 || rep.Errors[0].Row != 3 || rep.Errors[0].Column != "项代码" ||
			!strings.Contains(rep.Errors[0].Message, "“1.5”") {
			t.Errorf("got errors %v, want one of row 3's 项代码 quoting 1.5", rep.Errors)
		}
		padded := map[string]string{}
		for _, c := range rep.Changes {
			if c.Row == 2 && c.Reason == "补零" {
				padded[c.From] = c.To
			}
		}
		if padded["1.00"] != "01" || padded["2.000"] != "002" {
			t.Errorf("got padding %v, want 1.00 → 01 and 2.000 → 002", padded)
		}
	})
}
