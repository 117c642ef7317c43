package catalog_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDeletedIDNotGivenAgain: the id of a deleted draft, the last given,
// is not given to the next entry created, nor the ids of its source
// conflicts to the next conflicts found: the deleted entry's id stays not
// found, and the audit rows naming it name only the deleted entry. On both
// engines (SQLite gave the same id again before migration 0050).
func TestDeletedIDNotGivenAgain(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		publish(t, w, w.rsj, func() catalog.Resource {
			r := household()
			r.Name = "参保人员户籍信息"
			return r
		}())
		lastConflict := func() int64 {
			t.Helper()
			var id int64
			if err := db.Read().QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM catalog_source_conflicts`).Scan(&id); err != nil {
				t.Fatal(err)
			}
			return id
		}
		submit := func(e catalog.Entry) {
			t.Helper()
			if _, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.Submit(ctx, tx, w.gaj, e.ID, t0)
			}); err != nil {
				t.Fatal(err)
			}
		}

		first := create(t, w, w.gaj, household())
		submit(first)
		conflict := lastConflict()
		if _, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Reject(ctx, tx, w.operator, first.ID, "重复编目", t0)
		}); err != nil {
			t.Fatal(err)
		}
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error { return catalog.Delete(ctx, tx, w.gaj, first.ID, t0) }); err != nil {
			t.Fatal(err)
		}
		if got := lastConflict(); conflict == 0 || got >= conflict {
			t.Fatalf("source conflicts up to %d before the deletion, up to %d after (the test needs the last ones the deleted entry's)", conflict, got)
		}

		second := create(t, w, w.gaj, func() catalog.Resource {
			r := household()
			r.Name = "流动人口居住登记信息"
			return r
		}())
		if second.ID <= first.ID {
			t.Errorf("the entry created after %d was deleted took id %d, want a new one", first.ID, second.ID)
		}
		_, err := catalog.Get(ctx, db.Read(), w.gaj, first.ID)
		if e := errs.As(err); e == nil || e.Code != "entry_not_found" {
			t.Errorf("get the deleted entry %d: %v, want entry_not_found", first.ID, err)
		}
		submit(second)
		if got := lastConflict(); got <= conflict {
			t.Errorf("the second entry's source conflicts end at id %d, the deleted entry's were up to %d: want new ids", got, conflict)
		}
		var created int
		if err := db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log
			WHERE object_type = 'catalog_entry' AND object_id = $1 AND action = 'catalog.create'`,
			strconv.FormatInt(first.ID, 10)).Scan(&created); err != nil || created != 1 {
			t.Errorf("%d catalog.create audit rows name entry %d, %v; want 1, the deleted entry's", created, first.ID, err)
		}
	})
}
