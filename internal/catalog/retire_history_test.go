package catalog_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRetireRequestHistory: every retirement request of an entry and its
// outcome stay in its history (Reviews), with who, when and the reason:
// one sent back, then one withdrawn, then one approved. Before, the
// history showed none of them, and a new request replaced the row of the
// one sent back. Two requests of one entry are never under review at once,
// whatever writes them (catalog_retire_requests_open).
func TestRetireRequestHistory(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		reviewer := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorUser, ID: "shenhe", Name: "shenhe",
			DepartmentID: w.operator.DepartmentID}, Reviewer: true}
		e := publish(t, w, w.gaj, household())
		at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
		steps := []struct {
			what string
			f    func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error)
		}{
			{"request", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.Retire(ctx, tx, w.gaj, e.ID, "职能调整", at(1))
			}},
			{"reject", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.RejectRetire(ctx, tx, reviewer, e.ID, "仍有部门在用", at(2))
			}},
			{"request again", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.Retire(ctx, tx, w.gaj, e.ID, "数据已迁移", at(3))
			}},
			{"withdraw", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.WithdrawRetire(ctx, tx, w.gaj, e.ID, at(4))
			}},
			{"request a third time", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.Retire(ctx, tx, w.gaj, e.ID, "并入户籍人口变动信息", at(5))
			}},
		}
		for _, s := range steps {
			mustStep(t, w, s.what, s.f)
		}

		// Under review: no second request of the entry may join it.
		_, err := db.Write().ExecContext(ctx, `INSERT INTO catalog_retire_requests (entry_id, state, reason, requested_by, requested_at)
			VALUES ($1, 'requested', '重复', 'gaj.admin', $2)`, e.ID, at(5))
		if err == nil {
			t.Errorf("a second request under review of one entry was written")
		}

		mustStep(t, w, "approve", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.ApproveRetire(ctx, tx, reviewer, e.ID, at(6))
		})
		rs, err := catalog.Reviews(ctx, db.Read(), w.gaj, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range rs {
			if strings.HasPrefix(r.Action, "retire_") {
				got = append(got, fmt.Sprintf("%s %s %s %s", r.At.Format("15:04"), r.Action, r.By, r.Reason))
			}
		}
		want := []string{
			"10:00 retire_request gaj.admin 职能调整",
			"11:00 retire_reject shenhe 仍有部门在用",
			"12:00 retire_request gaj.admin 数据已迁移",
			"13:00 retire_withdraw gaj.admin ",
			"14:00 retire_request gaj.admin 并入户籍人口变动信息",
			"15:00 retire_approve shenhe ",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("retirement steps in the history:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		for i := 1; i < len(rs); i++ {
			if rs[i].At.Before(rs[i-1].At) {
				t.Errorf("history out of time order at %d: %v", i, rs)
			}
		}
	})
}
