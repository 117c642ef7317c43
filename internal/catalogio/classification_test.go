package catalogio_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestReimportClassificationChanged: a row whose resource code names an
// entry never published but gives it another classification is an error
// of the row (classification_changed): updating the entry gave it a new
// code, so every later import of the file found no entry of the code and
// created another draft. Without the code the row is matched by name and
// reclassifies the entry, and the file imports again unchanged.
func TestReimportClassificationChanged(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		rep, err := importFile(w, w.gaj, []byte(csvHeader+good("空气质量")), catalogio.CSV, catalogio.Options{})
		if err != nil || rep.Created != 1 {
			t.Fatalf("first import: %+v, err %v %v", rep, err, rep.Errors)
		}
		code := rep.Entries[0].Code
		moved := strings.Replace(good("空气质量"), ",01,综合,001,登记,", ",02,公共安全,003,治安,", 1)
		coded := strings.Replace(moved, "空气质量,,", "空气质量,"+code+",", 1)
		for range 2 {
			rep, err = importFile(w, w.gaj, []byte(csvHeader+coded), catalogio.CSV, catalogio.Options{})
			if !catalogio.Rejected(err) || len(rep.Errors) != 1 {
				t.Fatalf("reclassified row with its code: %+v, err %v %+v; want it refused", rep.Entries, err, rep.Errors)
			}
			if e := rep.Errors[0]; e.Code != "classification_changed" || e.Column != "资源代码" || !strings.Contains(e.Message, code) {
				t.Errorf("error %+v, want classification_changed naming %s", e, code)
			}
		}
		for i, want := range []string{"updated", "unchanged"} {
			rep, err = importFile(w, w.gaj, []byte(csvHeader+moved), catalogio.CSV, catalogio.Options{})
			if err != nil || len(rep.Entries) != 1 || rep.Entries[0].Action != want {
				t.Fatalf("import %d without the code: %+v, err %v %v; want %s", i, rep.Entries, err, rep.Errors, want)
			}
		}
		if n := len(resourcesOf(t, w, w.gaj)); n != 1 {
			t.Errorf("department has %d entries, want 1", n)
		}
	})
}
