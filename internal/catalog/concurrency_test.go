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
