package catalogio_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestGoodOnlyFileError: good rows only is about bad rows of a file that
// was read; a file that could not be read (not a workbook, a CSV whose stray
// quote stops reading part-way, a missing 资源名称 column) is rejected with
// it too, and nothing is imported, where the rows read before the problem
// (or none) were imported and the import reported success.
func TestGoodOnlyFileError(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		cut := csvHeader + good("读到的一") + good("读到的二") + "\"引号未闭合," + good("读不到的") + good("读不到的二")
		noName := strings.Replace(csvHeader, "资源名称,", "名称X,", 1) + good("无名")
		cases := []struct {
			name, code string
			data       []byte
			f          catalogio.Format
		}{
			{"not a workbook", "malformed_workbook", []byte("资源名称\n不是工作簿\n"), catalogio.XLSX},
			{"stray quote", "malformed_csv", []byte(cut), catalogio.CSV},
			{"missing column", "missing_column", []byte(noName), catalogio.CSV},
		}
		for _, c := range cases {
			for _, dry := range []bool{false, true} {
				rep, err := importFile(w, w.gaj, c.data, c.f, catalogio.Options{GoodOnly: true, DryRun: dry})
				if !catalogio.Rejected(err) {
					t.Errorf("%s (dry run %v): got err %v, want import_rejected", c.name, dry, err)
					continue
				}
				if rep.Imported || rep.ErrorCounts[c.code] == 0 {
					t.Errorf("%s: imported %v, errors %v, want not imported and %s", c.name, rep.Imported, rep.ErrorCounts, c.code)
				}
				if strings.Contains(err.Error(), "或选择只导入无误的行") || !strings.Contains(err.Error(), "不能只导入无误的行") {
					t.Errorf("%s: message offers good rows only or does not say why they are not: %v", c.name, err)
				}
			}
		}
		if n := resourcesOf(t, w, w.gaj); len(n) != 0 {
			t.Errorf("a file not read stored %d entries", len(n))
		}
	})
}
