package catalogio_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestNoBreakSpaceReported: a no-break space (U+00A0) within a cell
// becomes a space, and the import reports that as a change of the cell
// (reason 不间断空格), as it reports every other value it changes; it did
// so silently.
func TestNoBreakSpaceReported(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		row := strings.Replace(good("空格资源"), ",摘要,", ",全市\u00a0户籍 登记,", 1)
		rep, err := importFile(w, w.gaj, []byte(csvHeader+row), catalogio.CSV, catalogio.Options{DryRun: true})
		if err != nil {
			t.Fatalf("import: %v (%v)", err, rep.Errors)
		}
		var got []catalogio.Change
		for _, c := range rep.Changes {
			if c.Field == "abstract" {
				got = append(got, c)
			}
		}
		if len(got) != 1 || got[0].Row != 2 || got[0].Column != "摘要" || got[0].From != "全市\u00a0户籍 登记" ||
			got[0].To != "全市 户籍 登记" || got[0].Reason != "不间断空格" {
			t.Errorf("got changes of 摘要 %+v, want one: 全市\\u00a0户籍 登记 → 全市 户籍 登记（不间断空格）", got)
		}
	})
}
