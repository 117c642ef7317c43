package catalogio_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCodeFullWidthSameClassification: a row naming a draft by its
// resource code, with its 项代码 and 目代码 retyped full width (０１,
// ００１), is the draft's classification, narrowed and reported as 补零:
// the builder padded the codes unfolded, so the row's classification was
// 3０１００１ beside the stored 301001 and the row was refused as
// classification_changed.
func TestCodeFullWidthSameClassification(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		rep, err := importFile(w, w.gaj, []byte(csvHeader+good("全角代码")), catalogio.CSV, catalogio.Options{})
		if err != nil || rep.Created != 1 {
			t.Fatalf("first import: %+v, err %v %v", rep, err, rep.Errors)
		}
		code := rep.Entries[0].Code
		row := strings.Replace(good("全角代码"), ",01,综合,001,", ",０１,综合,００１,", 1)
		row = strings.Replace(row, "全角代码,,", "全角代码,"+code+",", 1)
		rep, err = importFile(w, w.gaj, []byte(csvHeader+row), catalogio.CSV, catalogio.Options{DryRun: true})
		if err != nil || len(rep.Errors) != 0 || len(rep.Entries) != 1 || rep.Entries[0].Code != code {
			t.Fatalf("full-width codes: %+v, err %v, errors %+v; want the draft %s", rep.Entries, err, rep.Errors, code)
		}
		narrowed := map[string]string{}
		for _, c := range rep.Changes {
			if c.Reason == "补零" {
				narrowed[c.From] = c.To
			}
		}
		if narrowed["０１"] != "01" || narrowed["００１"] != "001" {
			t.Errorf("changes %v, want ０１ → 01 and ００１ → 001", narrowed)
		}
	})
}
