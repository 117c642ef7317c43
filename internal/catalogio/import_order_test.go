package catalogio_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestImportItemOrder: a file that only puts a published entry's items in
// another order is an update, a revision in that order. It used to be
// reported unchanged, the old order kept.
func TestImportItemOrder(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		e := create(t, w, w.gaj, resources()[0])
		err := w.db.Tx(ctx, func(tx *sqldb.Tx) error {
			if _, err := catalog.Submit(ctx, tx, w.gaj, e.ID, t0); err != nil {
				return err
			}
			_, err := catalog.Approve(ctx, tx, w.operator, e.ID, t0)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var line map[string]json.RawMessage
		if err := json.Unmarshal(export(t, w, w.gaj, catalogio.JSONL, catalogio.ExportOptions{DepartmentID: w.gajID}), &line); err != nil {
			t.Fatal(err)
		}
		var items []json.RawMessage
		if err := json.Unmarshal(line["items"], &items); err != nil {
			t.Fatal(err)
		}
		items[0], items[1] = items[1], items[0]
		if line["items"], err = json.Marshal(items); err != nil {
			t.Fatal(err)
		}
		data, err := json.Marshal(line)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := importFile(w, w.gaj, append(data, '\n'), catalogio.JSONL, catalogio.Options{})
		if err != nil || rep.Updated != 1 || rep.Unchanged != 0 {
			t.Fatalf("import of the items reordered: updated %d unchanged %d err %v errors %v", rep.Updated, rep.Unchanged, err, rep.Errors)
		}
		got, err := catalog.Working(ctx, w.db.Read(), w.gaj, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := resources()[0].Items
		if got.Items[0].Name != want[1].Name || got.Items[1].Name != want[0].Name {
			t.Errorf("revision's items: %s, %s, want %s, %s", got.Items[0].Name, got.Items[1].Name, want[1].Name, want[0].Name)
		}
	})
}
