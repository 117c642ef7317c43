package catalogio_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestReimportNameKey: a row without a resource code is matched with the
// department's entry by the name as the catalog compares names (width and
// ASCII case folded, name_key), not by its exact spelling: a row naming
// 空气质量（AQI） as 空气质量(aqi) updates that entry, where it created a
// second one, which could never be submitted (duplicate_entry_name). Two
// rows of the file whose names differ only so are one name too.
func TestReimportNameKey(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		rep, err := importFile(w, w.gaj, []byte(csvHeader+good("空气质量（AQI）")), catalogio.CSV, catalogio.Options{})
		if err != nil || rep.Created != 1 {
			t.Fatalf("first import: %+v, err %v %v", rep, err, rep.Errors)
		}
		code := rep.Entries[0].Code
		rep, err = importFile(w, w.gaj, []byte(csvHeader+good("空气质量(aqi)")), catalogio.CSV, catalogio.Options{})
		if err != nil || rep.Created != 0 || rep.Updated != 1 || rep.Entries[0].Code != code {
			t.Fatalf("folded name: %+v, err %v %v; want %s updated", rep.Entries, err, rep.Errors, code)
		}
		if n := len(resourcesOf(t, w, w.gaj)); n != 1 {
			t.Errorf("department has %d entries, want 1", n)
		}

		file := csvHeader + good("噪声（DB）") + good("乙项") + good("噪声(db)")
		rep, err = importFile(w, w.gaj, []byte(file), catalogio.CSV, catalogio.Options{GoodOnly: true})
		if err != nil || rep.Created != 2 || len(rep.Errors) != 1 {
			t.Fatalf("folded names in one file: %+v, err %v %+v", rep.Entries, err, rep.Errors)
		}
		if e := rep.Errors[0]; e.Row != 4 || e.Code != "duplicate_name" || !strings.Contains(e.Message, "第 2 行") {
			t.Errorf("error %+v, want duplicate_name of row 4 naming row 2", e)
		}
	})
}
