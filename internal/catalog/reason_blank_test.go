package catalog_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestReasonInvisible: a reason to reject an entry, to ask for its
// retirement or to send such a request back that shows nothing (a Hangul
// filler, the braille blank, a variation selector) is no reason:
// reason_required, as the records package reads a purpose (CheckPurpose);
// one holding format characters (U+200B) is refused invalid_characters
// first. They were stored, audited and shown blank.
func TestReasonInvisible(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		want := func(what, reason string, err error, code, message string) {
			t.Helper()
			if x := errs.As(err); x == nil || x.Kind != errs.Invalid || x.Code != code || x.Field != "reason" ||
				code == "reason_required" && x.Message != message {
				t.Errorf("%s with reason %+q: got %v, want %s on reason", what, reason, err, code)
			}
		}
		blanks := []string{"\u3164", "\u2800", "\ufe0f", "\u115f", " \u3164\u2800\ufe0f "}
		format := []string{"\u200b", "\ufeff", "\u200b\u3164"}

		e := create(t, w, w.gaj, household())
		mustStep(t, w, "submit", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Submit(ctx, tx, w.gaj, e.ID, t0)
		})
		p := publish(t, w, w.gaj, func() catalog.Resource { r := household(); r.Name = "户籍人口迁移信息"; return r }())
		for _, c := range []struct {
			what, message string
			do            func(ctx context.Context, tx *sqldb.Tx, reason string) (catalog.Entry, error)
		}{
			{"reject", "退回时必须说明理由", func(ctx context.Context, tx *sqldb.Tx, reason string) (catalog.Entry, error) {
				return catalog.Reject(ctx, tx, w.operator, e.ID, reason, t0)
			}},
			{"retire", "注销时必须说明理由", func(ctx context.Context, tx *sqldb.Tx, reason string) (catalog.Entry, error) {
				return catalog.Retire(ctx, tx, w.gaj, p.ID, reason, t0)
			}},
		} {
			for _, r := range blanks {
				_, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) { return c.do(ctx, tx, r) })
				want(c.what, r, err, "reason_required", c.message)
			}
			for _, r := range format {
				_, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) { return c.do(ctx, tx, r) })
				want(c.what, r, err, "invalid_characters", "")
			}
		}
		mustStep(t, w, "request retirement", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Retire(ctx, tx, w.gaj, p.ID, "业务调整", t0)
		})
		for _, r := range blanks {
			_, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.RejectRetire(ctx, tx, w.operator, p.ID, r, t0)
			})
			want("send back the retirement", r, err, "reason_required", "退回时必须说明理由")
		}
		if got, err := catalog.Get(context.Background(), db.Read(), w.gaj, e.ID); err != nil || got.Status != catalog.Submitted {
			t.Errorf("after the refusals: status %s (%v), want submitted", got.Status, err)
		}
	})
}
