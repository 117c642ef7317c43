package catalog_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRejectByNonReviewerWithoutReason: whoever may not review is refused
// as such (403) whatever the reason, as for Retire; the reason is checked
// for a reviewer only. A department's rejection without a reason used to be
// answered reason_required.
func TestRejectByNonReviewerWithoutReason(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		e := create(t, w, w.gaj, household())
		mustStep(t, w, "submit", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Submit(ctx, tx, w.gaj, e.ID, t0)
		})
		for _, reason := range []string{"", " ", "a\x00b"} {
			_, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.Reject(ctx, tx, w.gaj, e.ID, reason, t0)
			})
			if e := errs.As(err); e == nil || e.Kind != errs.Forbidden {
				t.Errorf("reject by the department, reason %q: %v, want forbidden", reason, err)
			}
		}
		_, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Reject(ctx, tx, w.operator, e.ID, "", t0)
		})
		if e := errs.As(err); e == nil || e.Code != "reason_required" {
			t.Errorf("reject by the operator without a reason: %v, want reason_required", err)
		}
	})
}
