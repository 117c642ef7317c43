package catalog_test

import (
	"context"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestOldNamesKeepEdits: an entry published before today's name check
// under a name holding U+200B, with an item named 姓\ufe0f名, could not have
// any field changed without renaming both (invalid_characters on name):
// the edit re-checked the names it kept. An edit of the abstract alone is
// now saved, submitted and approved; a name changed to another holding
// U+200B is refused, as is a new item so named; hutong catalog check
// (ListNonconforming) still lists the entry.
func TestOldNamesKeepEdits(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		r := household()
		r.Name = "殡葬服务旧名"
		r.Items[1].Name = "旧名信息项"
		e := publish(t, w, w.gaj, r)
		const oldName, oldItem = "殡葬服务\u200b记录信息", "姓\ufe0f名"
		// As a release before today stored them.
		for _, q := range []string{
			`UPDATE catalog_entries SET name = $2, name_key = $2, data = REPLACE(REPLACE(data, '殡葬服务旧名', $2), '旧名信息项', $3) WHERE id = $1`,
			`UPDATE catalog_entry_versions SET data = REPLACE(REPLACE(data, '殡葬服务旧名', $2), '旧名信息项', $3) WHERE entry_id = $1`,
		} {
			if _, err := db.Write().ExecContext(ctx, q, e.ID, oldName, oldItem); err != nil {
				t.Fatal(err)
			}
		}
		stored, err := catalog.Get(ctx, db.Read(), w.gaj, e.ID)
		if err != nil || stored.Name != oldName || stored.Items[1].Name != oldItem {
			t.Fatalf("stored %q, %q (%v)", stored.Name, stored.Items[1].Name, err)
		}
		edit := func(r catalog.Resource) error {
			_, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.Update(ctx, tx, w.gaj, e.ID, r, t0.Add(time.Hour))
			})
			return err
		}
		refused := func(what string, r catalog.Resource, field string) {
			t.Helper()
			if ee := errs.As(edit(r)); ee == nil || ee.Code != "invalid_characters" || ee.Field != field {
				t.Errorf("%s: %v, want invalid_characters on %s", what, ee, field)
			}
		}
		r = stored.Resource
		r.Name = "殡葬服务\u200b火化信息"
		refused("renamed with U+200B", r, "name")
		r = stored.Resource
		r.Items = append(r.Items, catalog.Item{Name: "死\u200b者", Type: "C", Length: 20})
		refused("new item with U+200B", r, "items[4].name")

		r = stored.Resource
		r.Abstract = "辖区殡葬服务的火化和安葬记录"
		if err := edit(r); err != nil {
			t.Fatalf("abstract edited: %v", err)
		}
		mustStep(t, w, "submit", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Submit(ctx, tx, w.gaj, e.ID, t0.Add(2*time.Hour))
		})
		got := mustStep(t, w, "approve", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Approve(ctx, tx, w.operator, e.ID, t0.Add(3*time.Hour))
		})
		if got.Name != oldName || got.Abstract != r.Abstract {
			t.Errorf("published %q: %q", got.Name, got.Abstract)
		}
		ns, err := catalog.ListNonconforming(ctx, db.Read())
		found := false
		for _, n := range ns {
			found = found || n.Code == e.Code
		}
		if err != nil || !found {
			t.Errorf("Nonconforming: %v (%v), want %s listed", ns, err, e.Code)
		}
	})
}
