package catalog_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRetireReasonRequired: an entry is retired with a reason, wherever it
// is retired from (API, console), as Reject asks for one; a blank reason
// is refused on reason and leaves the entry published.
func TestRetireReasonRequired(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		e := publish(t, w, w.gaj, household())
		for _, reason := range []string{"", " \t\n"} {
			_, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.Retire(ctx, tx, w.gaj, e.ID, reason, t0)
			})
			if x := errs.As(err); x == nil || x.Kind != errs.Invalid || x.Code != "reason_required" || x.Field != "reason" ||
				x.Message != "注销时必须说明理由" {
				t.Errorf("retire with reason %q: got %v, want reason_required on reason", reason, err)
			}
		}
		if got, err := catalog.Get(context.Background(), db.Read(), w.gaj, e.ID); err != nil || got.Status != catalog.Published {
			t.Fatalf("after the refusals: status %s (%v), want published", got.Status, err)
		}
		e = mustStep(t, w, "retire", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return retireApproved(ctx, tx, w, w.gaj, e.ID, "业务调整")
		})
		if e.Status != catalog.Retired {
			t.Errorf("retired: status %s", e.Status)
		}
	})
}
