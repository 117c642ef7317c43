package catalog_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestHistoryAfterStepBack: an entry's history lists its steps in the
// order they happened when the server's clock was stepped back between
// them (or servers over one database disagree): a transfer stamped
// before the approval it followed, a rejection stamped before the
// request it sent back, and the next request stamped before the first.
// Sorted by time, the history began with the transfer and listed the
// rejection before any request and the closed request last. On both
// engines.
func TestHistoryAfterStepBack(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		e := publish(t, w, w.gaj, household())
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := catalog.TransferEntries(ctx, tx, w.operator, catalog.Transfer{FromDepartmentID: w.gajID,
				ToDepartmentID: w.scjID, EntryIDs: []int64{e.ID}}, t0.Add(-time.Hour))
			return err
		}); err != nil {
			t.Fatal(err)
		}
		mustStep(t, w, "request", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Retire(ctx, tx, w.scj, e.ID, "职能调整", t0.Add(12*time.Hour))
		})
		mustStep(t, w, "reject", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.RejectRetire(ctx, tx, w.operator, e.ID, "仍有部门在用", t0.Add(11*time.Hour))
		})
		mustStep(t, w, "request again", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Retire(ctx, tx, w.scj, e.ID, "数据已迁移", t0.Add(11*time.Hour+time.Minute))
		})
		rs, err := catalog.Reviews(ctx, db.Read(), w.scj, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range rs {
			got = append(got, r.Action+" "+r.Reason)
		}
		want := "[submit  approve  transfer 由“" + departmentName(t, db, w.gajID) + "”转移到“" + departmentName(t, db, w.scjID) +
			"” retire_request 职能调整 retire_reject 仍有部门在用 retire_request 数据已迁移]"
		if fmt.Sprint(got) != want {
			t.Errorf("history %q, want %s", got, want)
		}
	})
}

// departmentName is the name of department id.
func departmentName(t *testing.T, db *sqldb.DB, id int64) string {
	t.Helper()
	var name string
	if err := db.Read().QueryRowContext(context.Background(), `SELECT name FROM departments WHERE id = $1`, id).Scan(&name); err != nil {
		t.Fatal(err)
	}
	return name
}

// TestRetireRequestsPagedAfterStepBack: a retirement request made, the
// clock stepped back, while a reviewer pages the queue is on a later
// page, where paging by requested_at skipped it; a cursor of the former
// form (requested_at and entry id) is refused, not read as the start.
// On both engines.
func TestRetireRequestsPagedAfterStepBack(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		request := func(i int, at time.Time) {
			r := household()
			r.Name = fmt.Sprintf("户籍档案%d", i)
			e := publish(t, w, w.gaj, r)
			mustStep(t, w, "request", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.Retire(ctx, tx, w.gaj, e.ID, "职能调整", at)
			})
		}
		request(1, t0)
		request(2, t0.Add(30*time.Minute))
		rq := catalog.RetireQuery{Limit: 1}
		var got []string
		for page := 0; ; page++ {
			p, err := catalog.RetireRequests(ctx, db.Read(), w.operator, rq)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range p.Items {
				got = append(got, s.Name)
			}
			if page == 0 {
				request(3, t0.Add(-20*time.Minute))
				raw, err := base64.RawURLEncoding.DecodeString(p.NextCursor)
				var c map[string]any
				if err == nil {
					err = json.Unmarshal(raw, &c)
				}
				if err != nil {
					t.Fatalf("cursor %q: %v", p.NextCursor, err)
				}
				old, _ := json.Marshal(map[string]any{"t": t0, "i": p.Items[0].EntryID, "f": c["f"]})
				_, err = catalog.RetireRequests(ctx, db.Read(), w.operator,
					catalog.RetireQuery{Cursor: base64.RawURLEncoding.EncodeToString(old), Limit: 1})
				wantCode(t, "a cursor of the former form", err, errs.Invalid, "invalid_cursor")
			}
			if p.NextCursor == "" {
				break
			}
			rq.Cursor = p.NextCursor
		}
		if want := "[户籍档案1 户籍档案2 户籍档案3]"; fmt.Sprint(got) != want {
			t.Errorf("pages %v, want %s", got, want)
		}
	})
}
