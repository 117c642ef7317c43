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

// TestConcurrentApprovals: two departments' versions of the same facts,
// submitted while neither was published, are approved at the same time (two
// servers on one database). The second approval waits for the first and is
// then refused until its new conflicts are decided: never both published
// without the one-source decision.
func TestConcurrentApprovals(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		police, welfare := create(t, w, w.gaj, household()), create(t, w, w.rsj, insured())
		for _, e := range []catalog.Entry{police, welfare} {
			by := w.gaj
			if e.ID == welfare.ID {
				by = w.rsj
			}
			mustStep(t, w, "submit "+e.Name, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.Submit(ctx, tx, by, e.ID, t0)
			})
		}
		approve := func(id int64, held chan<- struct{}, release <-chan struct{}) error {
			return db.Tx(ctx, func(tx *sqldb.Tx) error {
				_, err := catalog.Approve(ctx, tx, w.operator, id, t0)
				if held != nil {
					close(held)
					<-release // the other server approves meanwhile
				}
				return err
			})
		}
		held, release := make(chan struct{}), make(chan struct{})
		first, second := make(chan error, 1), make(chan error, 1)
		go func() { first <- approve(police.ID, held, release) }()
		<-held
		go func() { second <- approve(welfare.ID, nil, nil) }()
		time.Sleep(300 * time.Millisecond)
		close(release)
		if err := <-first; err != nil {
			t.Fatalf("first approval: %v", err)
		}
		if e := errs.As(<-second); e == nil || e.Code != "source_conflicts_undecided" {
			t.Fatalf("second approval: %v, want source_conflicts_undecided", e)
		}
		e, err := catalog.Get(ctx, db.Read(), w.operator, welfare.ID)
		if err != nil || e.Status != catalog.Submitted {
			t.Errorf("second entry %s (%v), want still submitted", e.Status, err)
		}
	})
}

// staleReview is a version submitted before a rival's publication brought
// the conflicts of the reviews under way up to date: its conflicts with the
// rival are missing, as for versions submitted before migration 0011.
func staleReview(t *testing.T, w *world) catalog.Entry {
	t.Helper()
	welfare := create(t, w, w.rsj, insured())
	mustStep(t, w, "submit", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
		return catalog.Submit(ctx, tx, w.rsj, welfare.ID, t0)
	})
	publish(t, w, w.gaj, household())
	if _, err := w.db.Write().ExecContext(context.Background(), `DELETE FROM catalog_source_conflicts WHERE entry_id = $1`,
		welfare.ID); err != nil {
		t.Fatal(err)
	}
	return welfare
}

func conflictNames(t *testing.T, w *world, id int64) []string {
	t.Helper()
	cs, err := catalog.Conflicts(context.Background(), w.db.Read(), w.operator, id)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range cs {
		if !c.Decided() {
			names = append(names, c.ItemName)
		}
	}
	return names
}

// TestRecheckBeforeApproval: the conflicts an approval would be refused for
// are stored by Recheck in a transaction of their own, so the reviewer sees
// them after the refusal.
func TestRecheckBeforeApproval(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		welfare := staleReview(t, w)
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error { return catalog.Recheck(ctx, tx, w.operator, welfare.ID, t0) }); err != nil {
			t.Fatalf("recheck: %v", err)
		}
		_, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Approve(ctx, tx, w.operator, welfare.ID, t0)
		})
		if e := errs.As(err); e == nil || e.Code != "source_conflicts_undecided" {
			t.Fatalf("approve: %v, want source_conflicts_undecided", err)
		}
		if names := conflictNames(t, w, welfare.ID); len(names) != 2 {
			t.Errorf("undecided conflicts listed %v, want 名字 出生年月日", names)
		}
		wantKind(t, "recheck by a department", db.Tx(ctx, func(tx *sqldb.Tx) error {
			return catalog.Recheck(ctx, tx, w.rsj, welfare.ID, t0)
		}), errs.Forbidden)
	})
}

// TestRefreshOnceAfterMigration: the first one-source step after migration
// 0013 brings the conflicts of every submitted version up to date.
func TestRefreshOnceAfterMigration(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		welfare := staleReview(t, w)
		if _, err := db.Write().ExecContext(context.Background(), `UPDATE catalog_source_lock SET refresh_pending = TRUE`); err != nil {
			t.Fatal(err)
		}
		other := household()
		other.Name, other.SubjectKind, other.Items = "办公场所信息", catalog.NoSubject, other.Items[1:2]
		other.Classification.SubcategoryCode = "009"
		e := create(t, w, w.scj, other)
		mustStep(t, w, "submit an unrelated entry", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Submit(ctx, tx, w.scj, e.ID, t0)
		})
		if names := conflictNames(t, w, welfare.ID); len(names) != 2 {
			t.Errorf("undecided conflicts listed %v, want 名字 出生年月日", names)
		}
	})
}
