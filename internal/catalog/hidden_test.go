package catalog_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestChangeHiddenEntry: another department's draft, which Get does not
// find for it, is not found by Update, Submit and Retire either (403 would
// tell it exists); another department's published entry, which it sees, is
// refused as not its own.
func TestChangeHiddenEntry(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		draft := create(t, w, w.gaj, household())
		published := household()
		published.Name = "流动人口居住登记信息"
		pub := publish(t, w, w.gaj, published)
		changes := []struct {
			name string
			fn   func(ctx context.Context, tx *sqldb.Tx, id int64) (catalog.Entry, error)
		}{
			{"update", func(ctx context.Context, tx *sqldb.Tx, id int64) (catalog.Entry, error) {
				return catalog.Update(ctx, tx, w.rsj, id, household(), t0)
			}},
			{"submit", func(ctx context.Context, tx *sqldb.Tx, id int64) (catalog.Entry, error) {
				return catalog.Submit(ctx, tx, w.rsj, id, t0)
			}},
			{"retire", func(ctx context.Context, tx *sqldb.Tx, id int64) (catalog.Entry, error) {
				return catalog.Retire(ctx, tx, w.rsj, id, "业务调整", t0)
			}},
		}
		if _, err := catalog.Get(context.Background(), db.Read(), w.rsj, draft.ID); !errs.Is(err, errs.NotFound) {
			t.Fatalf("other department reads the draft: %v, want not found", err)
		}
		for _, c := range changes {
			e, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) { return c.fn(ctx, tx, draft.ID) })
			if x := errs.As(err); x == nil || x.Kind != errs.NotFound || x.Code != "entry_not_found" || e.ID != 0 {
				t.Errorf("other department's %s of a draft: got %+v, %v; want entry_not_found and no entry", c.name, e.ID, err)
			}
			_, err = step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) { return c.fn(ctx, tx, pub.ID) })
			wantKind(t, "other department's "+c.name+" of a published entry", err, errs.Forbidden)
		}
	})
}
