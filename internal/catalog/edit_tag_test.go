package catalog_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestUpdateIfStale: two edits started from the same metadata, of a draft
// and of a published entry (whose first edit opens a revision): the first
// saves, the second, whose tag is now stale, is refused with
// concurrent_update and changes nothing; an edit started from the saved
// metadata saves, and so does one without a tag, as Update always did.
// A tag among others matches.
func TestUpdateIfStale(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		tagOf := func(id int64) string {
			t.Helper()
			e, err := catalog.Working(ctx, db.Read(), w.gaj, id)
			if err != nil {
				t.Fatal(err)
			}
			tag, err := catalog.EditTag(ctx, db.Read(), e)
			if err != nil {
				t.Fatal(err)
			}
			return tag
		}
		update := func(id int64, tag string, r catalog.Resource) error {
			var tags []string
			if tag != "" {
				tags = []string{"0-0-0", tag}
			}
			_, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.UpdateIf(ctx, tx, w.gaj, id, tags, r, t0)
			})
			return err
		}
		changes := household()
		changes.Name = "户籍人口变动信息"
		draft := create(t, w, w.gaj, changes)
		published := publish(t, w, w.gaj, household())
		for _, e := range []catalog.Entry{draft, published} {
			stale := tagOf(e.ID)
			a := e.Resource
			a.Name += "（甲）"
			if err := update(e.ID, stale, a); err != nil {
				t.Fatalf("%s: first edit: %v", e.Name, err)
			}
			b := e.Resource
			b.Abstract = "乙只改了摘要"
			err := update(e.ID, stale, b)
			if ee := errs.As(err); ee == nil || ee.Kind != errs.Conflict || ee.Code != "concurrent_update" {
				t.Errorf("%s: stale edit: %v, want concurrent_update", e.Name, err)
			}
			got, err := catalog.Working(ctx, db.Read(), w.gaj, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Name != a.Name || got.Abstract != e.Abstract {
				t.Errorf("%s: working copy %q / %q, want the first edit's %q / %q", e.Name, got.Name, got.Abstract, a.Name, e.Abstract)
			}
			b.Name = a.Name
			if err := update(e.ID, tagOf(e.ID), b); err != nil {
				t.Errorf("%s: edit of the saved metadata: %v", e.Name, err)
			}
			if err := update(e.ID, "", a); err != nil {
				t.Errorf("%s: edit without a tag: %v", e.Name, err)
			}
		}
	})
}
