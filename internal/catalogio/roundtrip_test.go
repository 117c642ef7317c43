package catalogio_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRoundTrip exports a catalog, imports the file into a fresh database
// and compares the entries' metadata field by field.
func TestRoundTrip(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		src := newWorld(t, db)
		for _, r := range resources() {
			create(t, src, src.gaj, r)
		}
		want := resourcesOf(t, src, src.gaj)
		if len(want) != 3 {
			t.Fatalf("got %d entries, want 3", len(want))
		}
		for _, f := range []catalogio.Format{catalogio.XLSX, catalogio.CSV, catalogio.JSONL} {
			t.Run(string(f), func(t *testing.T) {
				data := export(t, src, src.gaj, f, catalogio.ExportOptions{DepartmentID: src.gajID})
				dst := newWorld(t, otherDB(t, db))
				rep, err := importFile(dst, dst.gaj, data, f, catalogio.Options{})
				if err != nil {
					t.Fatalf("import: %v\nerrors: %v", err, rep.Errors)
				}
				if !rep.Imported || rep.Created != 3 || len(rep.Errors) != 0 {
					t.Fatalf("got imported=%v created=%d errors=%v, want 3 created", rep.Imported, rep.Created, rep.Errors)
				}
				if len(rep.Changes) != 0 {
					t.Errorf("round trip changed values: %+v", rep.Changes)
				}
				for _, c := range rep.Columns {
					if c.Source != "layout" {
						t.Errorf("column %s %s understood as %s, want layout", c.Sheet, c.Header, c.Source)
					}
				}
				got := resourcesOf(t, dst, dst.gaj)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("catalog after round trip differs (-want +got):\n%s", diff)
				}
				// Importing the same file again finds nothing to change.
				again := export(t, dst, dst.gaj, f, catalogio.ExportOptions{})
				rep, err = importFile(dst, dst.gaj, again, f, catalogio.Options{})
				if err != nil || rep.Unchanged != 3 || rep.Created != 0 {
					t.Errorf("re-import: got unchanged=%d created=%d err=%v, want 3 unchanged", rep.Unchanged, rep.Created, err)
				}
			})
		}
	})
}
