package catalog_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestTagOfDiscardedRevision: the tag of an entry read, apart from its tag,
// before its revision was sent back and discarded, as an approval's recheck
// (RecheckIf, outside the entry's lock on PostgreSQL) or a read outside a
// snapshot reads it, is refused concurrent_update: the entry changed
// meanwhile, not an internal error (which answered 500). Read again, the
// entry's tag is that of the version in force.
func TestTagOfDiscardedRevision(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		e := publish(t, w, w.gaj, household())
		revision := e.Resource
		revision.Abstract = "修订稿的摘要"
		for _, fn := range []func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error){
			func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.Update(ctx, tx, w.gaj, e.ID, revision, t0)
			},
			func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.Submit(ctx, tx, w.gaj, e.ID, t0)
			},
		} {
			if _, err := step(w, fn); err != nil {
				t.Fatal(err)
			}
		}
		read, err := catalog.Get(ctx, db.Read(), w.operator, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		working, err := catalog.Working(ctx, db.Read(), w.gaj, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, fn := range []func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error){
			func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.Reject(ctx, tx, w.operator, e.ID, "请补充摘要", t0)
			},
			func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.DiscardRevision(ctx, tx, w.gaj, e.ID, t0)
			},
		} {
			if _, err := step(w, fn); err != nil {
				t.Fatal(err)
			}
		}
		_, err = catalog.WorkingTag(ctx, db.Read(), read)
		if ee := errs.As(err); ee == nil || ee.Kind != errs.Conflict || ee.Code != "concurrent_update" {
			t.Errorf("WorkingTag of the entry read before the discard: %v, want concurrent_update", err)
		}
		_, err = catalog.EditTag(ctx, db.Read(), working)
		if ee := errs.As(err); ee == nil || ee.Kind != errs.Conflict || ee.Code != "concurrent_update" {
			t.Errorf("EditTag of the revision read before the discard: %v, want concurrent_update", err)
		}
		now, err := catalog.Working(ctx, db.Read(), w.gaj, e.ID)
		if err != nil || now.WorkingVersion != 0 {
			t.Fatalf("read again: %+v, %v", now, err)
		}
		if _, err := catalog.WorkingTag(ctx, db.Read(), now); err != nil {
			t.Errorf("tag of the entry read again: %v", err)
		}
	})
}
