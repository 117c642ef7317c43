package catalog_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDirectRetireHistory: the operator's retirement of an entry without
// a request is a step of its history (Reviews: retire, who, when and the
// reason); before, the history read only the review actions and the
// requests, and an entry retired so showed no retirement. One that closed
// a request under review shows as that request's retire_approve alone.
func TestDirectRetireHistory(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
		steps := func(id int64) string {
			t.Helper()
			rs, err := catalog.Reviews(ctx, db.Read(), w.gaj, id)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rs {
				if strings.HasPrefix(r.Action, "retire") {
					got = append(got, fmt.Sprintf("%s %s %s %s", r.At.Format("15:04"), r.Action, r.By, r.Reason))
				}
			}
			return strings.Join(got, "\n")
		}
		e := publish(t, w, w.gaj, household())
		mustStep(t, w, "retire", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Retire(ctx, tx, w.operator, e.ID, "职能划转", at(1))
		})
		if got, want := steps(e.ID), "10:00 retire "+w.operator.Name+" 职能划转"; got != want {
			t.Errorf("history of a direct retirement:\n%s\nwant:\n%s", got, want)
		}

		r := household()
		r.Name = "户籍迁移登记信息"
		e = publish(t, w, w.gaj, r)
		mustStep(t, w, "request", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Retire(ctx, tx, w.gaj, e.ID, "数据已迁移", at(2))
		})
		mustStep(t, w, "retire", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Retire(ctx, tx, w.operator, e.ID, "同意注销", at(3))
		})
		if got := steps(e.ID); strings.Contains(got, " retire "+w.operator.Name) || !strings.Contains(got, "retire_approve "+w.operator.Name) {
			t.Errorf("history of a request closed by the operator's retirement:\n%s", got)
		}
	})
}
