package catalogio_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRowRefusedInBatch: rows are stored in batches under one savepoint; a
// row the catalog refuses while it is stored (an entry under review,
// entry_submitted) fails alone with good rows only: the rows before and
// after it in its batch are stored once each, with their codes in order.
func TestRowRefusedInBatch(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		rep, err := importFile(w, w.gaj, []byte(csvHeader+good("噪声监测")), catalogio.CSV, catalogio.Options{Submit: true})
		if err != nil || rep.Submitted != 1 {
			t.Fatalf("first import: %+v, err %v", rep, err)
		}
		var file strings.Builder
		file.WriteString(csvHeader)
		for i := range 150 {
			if i == 120 {
				file.WriteString(strings.Replace(good("噪声监测"), ",摘要,", ",新的摘要,", 1))
				continue
			}
			file.WriteString(good(fmt.Sprintf("资源%03d", i)))
		}
		rep, err = importFile(w, w.gaj, []byte(file.String()), catalogio.CSV, catalogio.Options{GoodOnly: true})
		if err != nil || !rep.Imported || rep.Created != 149 || len(rep.Errors) != 1 {
			t.Fatalf("import: created %d, err %v, errors %v; want 149 created and one error", rep.Created, err, rep.Errors)
		}
		if e := rep.Errors[0]; e.Code != "entry_submitted" || e.Row != 122 {
			t.Errorf("got %+v, want entry_submitted of row 122", e)
		}
		for i, e := range rep.Entries {
			want := fmt.Sprintf("301001/%06d", i+2)
			if i > 120 {
				want = fmt.Sprintf("301001/%06d", i+1)
			}
			if i == 120 {
				if e.Action != "failed" || e.Code != "" {
					t.Errorf("row %d: %+v, want failed", e.Row, e)
				}
			} else if e.Action != "created" || e.Code != want {
				t.Errorf("row %d: %+v, want created as %s", e.Row, e, want)
			}
		}
		var n int
		if err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM catalog_entries WHERE department_id = $1`,
			w.gajID).Scan(&n); err != nil || n != 150 {
			t.Errorf("department has %d entries (err %v), want 150", n, err)
		}
		if n := auditCount(t, db, "catalog.create"); n != 150 {
			t.Errorf("%d catalog.create audit rows, want 150", n)
		}
	})
}
