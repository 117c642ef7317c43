package catalog_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// wantCode fails unless err is a catalog error of kind and code.
func wantCode(t *testing.T, what string, err error, kind errs.Kind, code string) {
	t.Helper()
	if x := errs.As(err); x == nil || x.Kind != kind || x.Code != code {
		t.Errorf("%s: got %v, want %s %s", what, err, kind, code)
	}
}

// queued returns the codes of the retirement requests by sees queued.
func queued(t *testing.T, db *sqldb.DB, by catalog.Actor) []string {
	t.Helper()
	rs, err := catalog.RetireRequests(context.Background(), db.Read(), by, catalog.RetireQuery{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rs.Items {
		out = append(out, r.Code+" "+r.Reason)
	}
	return out
}

// TestRetireRequest: a department's retirement of its published entry is
// a request for the operator's review (requirement 4: catalog changes are
// published after review), not a retirement: the entry stays published,
// found by everyone and open to a revision's edit, and the request is
// queued for the reviewers with its reason. A reviewer approves it (the
// entry is retired) or rejects it with a reason (the entry stays
// published, the department reads why); the department may withdraw it
// while it waits. Before, the department's Retire retired the entry at
// once.
func TestRetireRequest(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		reviewer := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorUser, ID: "shenhe", Name: "shenhe",
			DepartmentID: w.operator.DepartmentID}, Reviewer: true}
		e := publish(t, w, w.gaj, household())

		// The request: published, queued, visible to the department and
		// the reviewers only.
		got := mustStep(t, w, "request", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Retire(ctx, tx, w.gaj, e.ID, "职能调整", t0)
		})
		if got.Status != catalog.Published || !got.RetireRequest.Pending() || got.RetireRequest.Reason != "职能调整" ||
			got.RetireRequest.RequestedBy != "gaj.admin" {
			t.Fatalf("after the request: status %s, request %+v; want published with a pending request", got.Status, got.RetireRequest)
		}
		if q := queued(t, db, w.operator); len(q) != 1 || q[0] != e.Code+" 职能调整" {
			t.Errorf("operator's queue %v, want %s 职能调整", q, e.Code)
		}
		if q := queued(t, db, w.gaj); len(q) != 1 {
			t.Errorf("department's own requests %v, want one", q)
		}
		if q := queued(t, db, w.rsj); len(q) != 0 {
			t.Errorf("another department sees requests %v, want none", q)
		}
		other, err := catalog.Get(ctx, db.Read(), w.rsj, e.ID)
		if err != nil || other.Status != catalog.Published || other.RetireRequest != nil {
			t.Errorf("another department reads status %s, request %+v (%v); want published, no request", other.Status, other.RetireRequest, err)
		}
		found, err := catalog.Search(ctx, db.Read(), w.rsj, catalog.Query{})
		if err != nil || len(found.Items) != 1 {
			t.Errorf("published entries another department finds: %d (%v), want 1", len(found.Items), err)
		}
		_, err = step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Retire(ctx, tx, w.gaj, e.ID, "再次申请", t0)
		})
		wantCode(t, "second request", err, errs.Conflict, "retire_requested")

		// One change at a time: no revision is submitted while it waits.
		r := household()
		r.Abstract += "（修订）"
		mustStep(t, w, "revise", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Update(ctx, tx, w.gaj, e.ID, r, t0)
		})
		_, err = step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Submit(ctx, tx, w.gaj, e.ID, t0)
		})
		wantCode(t, "submit while retirement requested", err, errs.Conflict, "retire_requested")

		// Only reviewers decide, and only a pending request.
		for _, by := range []catalog.Actor{w.gaj, w.rsj} {
			_, err = step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.ApproveRetire(ctx, tx, by, e.ID, t0)
			})
			wantCode(t, by.Name+" approves", err, errs.Forbidden, "forbidden")
		}
		_, err = step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.RejectRetire(ctx, tx, reviewer, e.ID, " ", t0)
		})
		wantCode(t, "reject without reason", err, errs.Invalid, "reason_required")

		// Rejected: published, the reason on the entry, out of the queue.
		got = mustStep(t, w, "reject", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.RejectRetire(ctx, tx, reviewer, e.ID, "仍有部门在用", t0)
		})
		if got.Status != catalog.Published || got.RetireRequest == nil || got.RetireRequest.State != catalog.RetireRejected ||
			got.RetireRequest.RejectReason != "仍有部门在用" || got.RetireRequest.ReviewedBy != "shenhe" {
			t.Errorf("after the rejection: status %s, request %+v", got.Status, got.RetireRequest)
		}
		if q := queued(t, db, w.operator); len(q) != 0 {
			t.Errorf("queue after the rejection %v, want none", q)
		}
		_, err = step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.ApproveRetire(ctx, tx, reviewer, e.ID, t0)
		})
		wantCode(t, "approve a rejected request", err, errs.Conflict, "retire_not_requested")
		_, err = step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.WithdrawRetire(ctx, tx, w.gaj, e.ID, t0)
		})
		wantCode(t, "withdraw a rejected request", err, errs.Conflict, "retire_not_requested")

		// Asked again and withdrawn: as before the request.
		mustStep(t, w, "request again", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Retire(ctx, tx, w.gaj, e.ID, "职能调整", t0)
		})
		_, err = step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.WithdrawRetire(ctx, tx, w.rsj, e.ID, t0)
		})
		wantKind(t, "another department withdraws", err, errs.Forbidden)
		got = mustStep(t, w, "withdraw", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.WithdrawRetire(ctx, tx, w.gaj, e.ID, t0)
		})
		if got.Status != catalog.Published || got.RetireRequest != nil {
			t.Errorf("after the withdrawal: status %s, request %+v", got.Status, got.RetireRequest)
		}

		// Asked again and approved by a reviewer: retired, with the draft
		// revision, the department's reason in the audit row.
		mustStep(t, w, "request a third time", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Retire(ctx, tx, w.gaj, e.ID, "并入户籍人口变动信息", t0)
		})
		got = mustStep(t, w, "approve", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.ApproveRetire(ctx, tx, reviewer, e.ID, t0)
		})
		if got.Status != catalog.Retired || got.WorkingVersion != 0 || got.RetireRequest != nil {
			t.Errorf("after the approval: status %s, working version %d, request %+v", got.Status, got.WorkingVersion, got.RetireRequest)
		}
		if q := queued(t, db, w.operator); len(q) != 0 {
			t.Errorf("queue after the approval %v, want none", q)
		}
		var detail string
		if err := db.Read().QueryRowContext(ctx, `SELECT detail FROM audit_log WHERE action = 'catalog.retire.approve'`).Scan(&detail); err != nil {
			t.Fatal(err)
		}
		if want := `{"code":"101001/000001","reason":"并入户籍人口变动信息","requested_by":"gaj.admin","revision_discarded":"2"}`; detail != want {
			t.Errorf("approval audit detail %s, want %s", detail, want)
		}
		actions := auditActions(t, db)
		for a, n := range map[string]int{"catalog.retire.request": 3, "catalog.retire.reject": 1, "catalog.retire.withdraw": 1,
			"catalog.retire.approve": 1, "catalog.retire": 0} {
			if actions[a] != n {
				t.Errorf("%d audit rows of %s, want %d", actions[a], a, n)
			}
		}
	})
}

// TestOperatorRetires: the operator, who reviews the catalog's changes,
// retires an entry at once (catalog.retire, audited with its reason); a
// department's request under review is closed by it, and the audit row
// names it. A reviewer, who reviews but does nothing else the operator
// does, retires nothing. An entry never published is not retired.
func TestOperatorRetires(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		reviewer := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorUser, ID: "shenhe", Name: "shenhe",
			DepartmentID: w.operator.DepartmentID}, Reviewer: true}
		e := publish(t, w, w.gaj, household())
		_, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Retire(ctx, tx, reviewer, e.ID, "业务调整", t0)
		})
		wantKind(t, "reviewer retires", err, errs.Forbidden)
		mustStep(t, w, "request", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Retire(ctx, tx, w.gaj, e.ID, "职能调整", t0)
		})
		got := mustStep(t, w, "operator retires", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Retire(ctx, tx, w.operator, e.ID, "清理重复目录", t0)
		})
		if got.Status != catalog.Retired || got.RetireRequest != nil {
			t.Errorf("after the operator's retirement: status %s, request %+v", got.Status, got.RetireRequest)
		}
		if q := queued(t, db, w.operator); len(q) != 0 {
			t.Errorf("queue after the operator's retirement %v, want none", q)
		}
		var detail string
		if err := db.Read().QueryRowContext(ctx, `SELECT detail FROM audit_log WHERE action = 'catalog.retire'`).Scan(&detail); err != nil {
			t.Fatal(err)
		}
		if want := `{"code":"101001/000001","reason":"清理重复目录","request_reason":"职能调整","requested_by":"gaj.admin"}`; detail != want {
			t.Errorf("retirement audit detail %s, want %s", detail, want)
		}

		draft := create(t, w, w.rsj, household())
		_, err = step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Retire(ctx, tx, w.rsj, draft.ID, "不再需要", t0)
		})
		wantCode(t, "department retires its draft", err, errs.Conflict, "not_published")
	})
}
