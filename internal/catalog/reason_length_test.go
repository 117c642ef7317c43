package catalog_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestReasonLength: a reason to reject or retire holds at most
// catalog.MaxReasonChars characters; a longer one is refused on reason
// (too_long, saying how long it is) and changes nothing, where it was
// stored and audited whatever its length.
func TestReasonLength(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		long := strings.Repeat("理", catalog.MaxReasonChars+1)
		wantTooLong := func(what string, err error) {
			t.Helper()
			x := errs.As(err)
			if x == nil || x.Kind != errs.Invalid || x.Code != "too_long" || x.Field != "reason" ||
				x.Message != "理由不能超过 500 个字（当前 501 个字）" {
				t.Errorf("%s with a reason of 501 characters: got %v, want too_long on reason", what, err)
			}
		}

		e := create(t, w, w.gaj, household())
		mustStep(t, w, "submit", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Submit(ctx, tx, w.gaj, e.ID, t0)
		})
		_, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Reject(ctx, tx, w.operator, e.ID, long, t0)
		})
		wantTooLong("reject", err)
		if got, err := catalog.Get(ctx, db.Read(), w.gaj, e.ID); err != nil || got.Status != catalog.Submitted {
			t.Fatalf("after the refused rejection: status %s (%v), want submitted", got.Status, err)
		}
		e = mustStep(t, w, "reject", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Reject(ctx, tx, w.operator, e.ID, long[:len(long)-len("理")], t0)
		})
		if e.Status != catalog.Rejected || len([]rune(e.RejectReason)) != catalog.MaxReasonChars {
			t.Errorf("rejected with a reason of 500 characters: status %s, reason of %d", e.Status, len([]rune(e.RejectReason)))
		}

		moves := household()
		moves.Name = "户籍人口迁移信息"
		p := publish(t, w, w.gaj, moves)
		_, err = step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Retire(ctx, tx, w.gaj, p.ID, long, t0)
		})
		wantTooLong("retire", err)
		if got, err := catalog.Get(ctx, db.Read(), w.gaj, p.ID); err != nil || got.Status != catalog.Published {
			t.Fatalf("after the refused retirement: status %s (%v), want published", got.Status, err)
		}
		var audited int
		if err := db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE detail LIKE $1`,
			"%"+long[:30]+"%").Scan(&audited); err != nil || audited != 1 {
			t.Errorf("audit rows holding the reason: %d (%v), want 1 (the rejection of 500 characters)", audited, err)
		}
	})
}
