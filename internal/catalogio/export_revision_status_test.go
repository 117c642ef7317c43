package catalogio_test

import (
	"encoding/json"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestExportRevisionStatus: the JSON lines export of a view that lists a
// published entry for its revision (草稿与退回, 待审核) writes the
// revision's status beside its text, where it wrote the entry's own
// (published) beside the revision's text; the export of the published
// catalog still writes published. Re-imported, such a line is unchanged:
// the import ignores status, and the line equals the revision.
func TestExportRevisionStatus(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w, _, _, resubmit := publishedRevised(t, db)
		check := func(what string, want catalog.Status, sts ...catalog.Status) []byte {
			t.Helper()
			data := export(t, w, w.gaj, catalogio.JSONL, catalogio.ExportOptions{DepartmentID: w.gajID, Statuses: sts})
			var line struct {
				Status   catalog.Status
				Abstract string
			}
			if err := json.Unmarshal(data, &line); err != nil {
				t.Fatalf("%s: %v in %s", what, err, data)
			}
			if line.Status != want {
				t.Errorf("%s: status %q (abstract %q), want %q", what, line.Status, line.Abstract, want)
			}
			return data
		}
		drafts := check("草稿与退回", catalog.Draft, catalog.Draft, catalog.Rejected)
		check("已发布", catalog.Published, catalog.Published)
		if rep, err := importFile(w, w.gaj, drafts, catalogio.JSONL, catalogio.Options{}); err != nil || rep.Unchanged != 1 || rep.Updated+rep.Created != 0 {
			t.Errorf("re-import of the drafts' export: %+v, %v; want it unchanged", rep, err)
		}
		resubmit()
		submitted := check("待审核", catalog.Submitted, catalog.Submitted)
		check("the default", catalog.Published)
		if rep, err := importFile(w, w.gaj, submitted, catalogio.JSONL, catalogio.Options{}); err != nil || rep.Unchanged != 1 || rep.Updated+rep.Created != 0 {
			t.Errorf("re-import of the review queue's export: %+v, %v; want it unchanged", rep, err)
		}
	})
}
