package catalogio_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestSubmitUnchanged: an import asked to submit submits the drafts it
// finds unchanged too, and counts them, where it left them unsubmitted
// without a word; an entry already submitted is left as it is.
func TestSubmitUnchanged(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		file := []byte(csvHeader + good("空气质量"))
		rep, err := importFile(w, w.gaj, file, catalogio.CSV, catalogio.Options{})
		if err != nil || rep.Created != 1 {
			t.Fatalf("first import: %+v, err %v %v", rep, err, rep.Errors)
		}
		id := rep.Entries[0].ID
		for i, want := range []int{1, 0} {
			rep, err = importFile(w, w.gaj, file, catalogio.CSV, catalogio.Options{Submit: true})
			if err != nil || rep.Unchanged != 1 || rep.Submitted != want {
				t.Fatalf("import %d with submit: unchanged %d submitted %d, err %v %v; want %d submitted", i, rep.Unchanged, rep.Submitted, err, rep.Errors, want)
			}
			e, err := catalog.Get(context.Background(), w.db.Read(), w.gaj, id)
			if err != nil || e.WorkingStatus != catalog.Submitted {
				t.Fatalf("import %d with submit: entry %s, err %v; want submitted", i, e.WorkingStatus, err)
			}
		}
	})
}
