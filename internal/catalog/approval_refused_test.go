package catalog_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestApprovalRefusedWayOut: a licence draft submitted with 次日更新 before
// 2026-12-05, when 次日 read as real time, cannot be approved since 次日 is
// 1 day (timeliness_exceeds_rule). Its reviewer is told so before
// approving (catalog.ApprovalRefusal, which the console's review card
// shows, the very refusal Approve answers) and by the refusal, which says to send it back with a reason for
// its department to mend (catalog.ApprovalRefused; until 2026-12-05 it
// said 不能发布：请退回修改 and nothing showed it before): the rejection
// goes through, an edit keeping the 次日 is refused with the rule's
// message, the mended version is submitted and approved. A published
// licence whose version in force kept such a 次日 keeps it in its
// revision under review: nothing stops its approval.
func TestApprovalRefusedWayOut(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		refusal := func(id int64) *errs.Error {
			t.Helper()
			e, err := catalog.Get(ctx, db.Read(), w.operator, id)
			if err != nil {
				t.Fatal(err)
			}
			found, err := catalog.ApprovalRefusal(ctx, db.Read(), e)
			if err != nil {
				t.Fatal(err)
			}
			return found
		}

		lic := household()
		lic.Name, lic.Timeliness = "枪支持有许可证信息", "实时推送"
		d := create(t, w, w.gaj, lic)
		mustStep(t, w, "submit", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Submit(ctx, tx, w.gaj, d.ID, t0.Add(time.Hour))
		})
		sqldbtest.StaleNextDay(t, db, d.ID)
		told := refusal(d.ID)
		if told == nil || told.Field != "timeliness" || told.Code != "timeliness_exceeds_rule" {
			t.Errorf("refusal of the version under review: %v, want 时效要求", told)
		}
		_, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Approve(ctx, tx, w.operator, d.ID, t0.Add(2*time.Hour))
		})
		if ee := errs.As(err); ee == nil || ee.Code != "timeliness_exceeds_rule" || !strings.HasPrefix(ee.Message, catalog.ApprovalRefused) ||
			!strings.Contains(ee.Message, "时效要求“次日更新”") || !strings.Contains(ee.Message, "请将时效要求改为") ||
			!strings.Contains(ee.Message, "请退回（写明退回理由）") || !strings.Contains(ee.Message, "修改后重新提交") {
			t.Errorf("approval: %v, want timeliness_exceeds_rule telling to send it back and what to change", err)
		} else if told != nil && *ee != *told {
			t.Errorf("approval refused with %v, told before %v", ee, told)
		}
		reason := catalog.ApprovalRejectReason(told)
		if !strings.HasPrefix(reason, "提交后目录规则已更新") || !strings.Contains(reason, "时效要求“次日更新”") ||
			strings.Contains(reason, catalog.ApprovalRefused) {
			t.Errorf("reason to send it back: %q, want the rules changed and what to change", reason)
		}
		if e, err := catalog.Get(ctx, db.Read(), w.operator, d.ID); err != nil || e.Status != catalog.Submitted {
			t.Errorf("after the refused approval: %s (%v), want still submitted", e.Status, err)
		}

		mustStep(t, w, "reject", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Reject(ctx, tx, w.operator, d.ID, "时效要求“次日更新”不符合现行规则，请改为实时更新后重新提交", t0.Add(3*time.Hour))
		})
		if got := refusal(d.ID); got != nil {
			t.Errorf("refusal of a version sent back: %v, want none (nothing under review)", got)
		}
		kept, err := catalog.Working(ctx, db.Read(), w.gaj, d.ID)
		if err != nil || kept.Timeliness != "次日更新" {
			t.Fatalf("the version sent back: %q (%v)", kept.Timeliness, err)
		}
		r := kept.Resource
		r.Abstract = "辖区枪支持有许可证的核发和注销记录"
		_, err = step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Update(ctx, tx, w.gaj, d.ID, r, t0.Add(4*time.Hour))
		})
		if ee := errs.As(err); ee == nil || ee.Code != "timeliness_exceeds_rule" || !strings.Contains(ee.Message, "请将时效要求改为") {
			t.Errorf("an edit keeping 次日更新: %v, want timeliness_exceeds_rule", err)
		}
		r.Timeliness = "实时推送"
		mustStep(t, w, "mend", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Update(ctx, tx, w.gaj, d.ID, r, t0.Add(4*time.Hour))
		})
		mustStep(t, w, "submit again", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Submit(ctx, tx, w.gaj, d.ID, t0.Add(5*time.Hour))
		})
		if got := refusal(d.ID); got != nil {
			t.Errorf("refusal of the mended version: %v, want none", got)
		}
		if e := mustStep(t, w, "approve", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Approve(ctx, tx, w.operator, d.ID, t0.Add(6*time.Hour))
		}); e.Status != catalog.Published || e.Timeliness != "实时推送" {
			t.Errorf("approved: %s %q, want published with 实时推送", e.Status, e.Timeliness)
		}

		// A licence published with 次日更新 before 2026-12-05 keeps it in a
		// revision under review.
		old := household()
		old.Name, old.Timeliness = "烟花爆竹经营许可证信息", "实时推送"
		old.Items[0].Name = "经营者公民身份号码"
		p := publish(t, w, w.gaj, old)
		sqldbtest.StaleNextDay(t, db, p.ID)
		rev, err := catalog.Get(ctx, db.Read(), w.gaj, p.ID)
		if err != nil || rev.Timeliness != "次日更新" {
			t.Fatalf("published %q (%v)", rev.Timeliness, err)
		}
		rev.Abstract = "烟花爆竹经营许可的核发和注销记录"
		mustStep(t, w, "revise", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Update(ctx, tx, w.gaj, p.ID, rev.Resource, t0.Add(time.Hour))
		})
		mustStep(t, w, "submit the revision", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Submit(ctx, tx, w.gaj, p.ID, t0.Add(2*time.Hour))
		})
		if got := refusal(p.ID); got != nil {
			t.Errorf("refusal of a revision keeping the 次日 in force: %v, want none", got)
		}
		mustStep(t, w, "approve the revision", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Approve(ctx, tx, w.operator, p.ID, t0.Add(3*time.Hour))
		})
	})
}
