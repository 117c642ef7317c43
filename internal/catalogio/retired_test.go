package catalogio_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestImportRetiredCode: a row whose resource code names a retired entry
// is an error of the row (entry_retired), the same row or a changed one:
// it was reported unchanged, as if the entry were still in the catalog,
// or refused in the words of an edit.
func TestImportRetiredCode(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		rep, err := importFile(w, w.gaj, []byte(csvHeader+good("空气质量")), catalogio.CSV, catalogio.Options{})
		if err != nil || rep.Created != 1 {
			t.Fatalf("first import: %+v, err %v %v", rep, err, rep.Errors)
		}
		e := rep.Entries[0]
		// Set directly: retiring needs a publication.
		if _, err := w.db.Write().ExecContext(context.Background(), `UPDATE catalog_entries SET status = 'retired' WHERE id = $1`, e.ID); err != nil {
			t.Fatal(err)
		}
		row := strings.Replace(good("空气质量"), "空气质量,,", "空气质量,"+e.Code+",", 1)
		for _, row := range []string{row, strings.Replace(row, ",摘要,", ",新的摘要,", 1)} {
			rep, err = importFile(w, w.gaj, []byte(csvHeader+row), catalogio.CSV, catalogio.Options{})
			if !catalogio.Rejected(err) || len(rep.Errors) != 1 {
				t.Fatalf("row of a retired entry: %+v, err %v %+v; want it refused", rep.Entries, err, rep.Errors)
			}
			if re := rep.Errors[0]; re.Code != "entry_retired" || re.Column != "资源代码" || !strings.Contains(re.Message, e.Code) {
				t.Errorf("error %+v, want entry_retired naming %s", re, e.Code)
			}
		}
	})
}
