package catalogio_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestLineBreaksRoundTrip: an abstract typed in the console's textarea
// arrives with CR LF line breaks, which the catalog stores as LF, so that a
// CSV export imported back unchanged changes nothing (it opened a revision,
// updated, when CR LF was stored and the CSV gave LF). An entry stored with
// CR LF before (written here by SQL, as an older version stored it) is
// unchanged by its own export too: the import compares it as it would be
// stored now.
func TestLineBreaksRoundTrip(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		rs := resources()
		rs[0].Abstract = "第一行\r\n第二行\r第三行"
		rs[0].Items[0].Description = "说明一\r\n说明二"
		for _, r := range rs {
			create(t, w, w.gaj, r)
		}
		got := resourcesOf(t, w, w.gaj)[rs[0].Name]
		if got.Abstract != "第一行\n第二行\n第三行" || got.Items[0].Description != "说明一\n说明二" {
			t.Fatalf("stored abstract %q, description %q, want LF line breaks", got.Abstract, got.Items[0].Description)
		}
		for _, f := range []catalogio.Format{catalogio.CSV, catalogio.XLSX} {
			data := export(t, w, w.gaj, f, catalogio.ExportOptions{DepartmentID: w.gajID})
			rep, err := importFile(w, w.gaj, data, f, catalogio.Options{})
			if err != nil || rep.Unchanged != len(rs) || rep.Updated != 0 || rep.Created != 0 {
				t.Errorf("%s re-import: unchanged %d updated %d created %d err %v, want %d unchanged", f, rep.Unchanged, rep.Updated, rep.Created, err, len(rs))
			}
		}

		ctx := context.Background()
		for _, q := range []string{`UPDATE catalog_entries SET data = REPLACE(data, '\n', '\r\n'), abstract = REPLACE(abstract, '
', '` + "\r\n" + `')`,
			`UPDATE catalog_entry_versions SET data = REPLACE(data, '\n', '\r\n')`} {
			if _, err := db.Write().ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		if got := resourcesOf(t, w, w.gaj)[rs[0].Name]; got.Abstract != "第一行\r\n第二行\r\n第三行" {
			t.Fatalf("abstract stored by SQL %q, want CR LF", got.Abstract)
		}
		data := export(t, w, w.gaj, catalogio.CSV, catalogio.ExportOptions{DepartmentID: w.gajID})
		rep, err := importFile(w, w.gaj, data, catalogio.CSV, catalogio.Options{})
		if err != nil || rep.Unchanged != len(rs) || rep.Updated != 0 {
			t.Errorf("re-import of CR LF entry: unchanged %d updated %d err %v, want %d unchanged", rep.Unchanged, rep.Updated, err, len(rs))
		}
	})
}
