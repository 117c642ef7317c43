package catalogio_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestUnchangedRowKeepsFlagRefusedLater: an entry published before only a
// subject's identifier could be marked identifying (not_subject_identifier)
// keeps its 姓名 marked until its next revision, so its own CSV export
// imported back is unchanged; it was import_rejected, the import
// validating the row before comparing it with the entry. A row that changes
// such an entry is validated fully and refused.
func TestUnchangedRowKeepsFlagRefusedLater(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		rs := resources()
		first := ""
		for i, r := range rs {
			if i == 1 {
				r.RelatedCodes = []string{first} // a submission refuses codes of no entry
			}
			e := create(t, w, w.gaj, r)
			if i == 0 {
				first = e.Code
			}
			if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
				if _, err := catalog.Submit(ctx, tx, w.gaj, e.ID, t0); err != nil {
					return err
				}
				_, err := catalog.Approve(ctx, tx, w.operator, e.ID, t0)
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		for _, q := range []string{`UPDATE catalog_entries SET data = REPLACE(data, '"name":"姓名"', '"name":"姓名","identifies_subject":true')`,
			`UPDATE catalog_entry_versions SET data = REPLACE(data, '"name":"姓名"', '"name":"姓名","identifies_subject":true')`} {
			if _, err := db.Write().ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		if it := resourcesOf(t, w, w.gaj)[rs[0].Name].Items; len(it) < 2 || it[1].Name != "姓名" || !it[1].IdentifiesSubject {
			t.Fatalf("items after SQL %+v, want 姓名 identifying", it)
		}
		data := export(t, w, w.gaj, catalogio.CSV, catalogio.ExportOptions{DepartmentID: w.gajID})
		rep, err := importFile(w, w.gaj, data, catalogio.CSV, catalogio.Options{})
		if err != nil || rep.Unchanged != len(rs) || rep.Updated != 0 || len(rep.Errors) != 0 {
			t.Errorf("re-import: unchanged %d updated %d errors %+v err %v, want %d unchanged", rep.Unchanged, rep.Updated, rep.Errors, err, len(rs))
		}
		rep, err = importFile(w, w.gaj, data, catalogio.CSV, catalogio.Options{Submit: true, DryRun: true})
		if err != nil || rep.Unchanged != len(rs) || len(rep.Errors) != 0 {
			t.Errorf("re-import submitting: unchanged %d errors %+v err %v, want %d unchanged", rep.Unchanged, rep.Errors, err, len(rs))
		}

		changed := strings.Replace(string(data), "辖区户籍人口", "本区户籍人口", 1)
		if changed == string(data) {
			t.Fatal("abstract not in the export")
		}
		rep, err = importFile(w, w.gaj, []byte(changed), catalogio.CSV, catalogio.Options{})
		if !catalogio.Rejected(err) || rep.ErrorCounts["not_subject_identifier"] != 1 {
			t.Errorf("changed row: err %v errors %+v, want not_subject_identifier", err, rep.Errors)
		}
	})
}
