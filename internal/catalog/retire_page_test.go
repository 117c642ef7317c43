package catalog_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRetireRequestsPaged: the review queue's retirement requests come a
// page at a time, oldest first, with a cursor to the next, and filtered
// by their entries (department, attribute filters, words of the name or
// code), where every pending request was read at once whatever the list
// showed; CountRetireRequests counts what the filter lists. A cursor of
// another filter is refused.
func TestRetireRequestsPaged(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		for i := range 5 {
			r := household()
			r.Name = fmt.Sprintf("户籍档案%d", i)
			by := w.gaj
			if i == 4 {
				r.Name, by = "社保缴费记录", w.rsj
				r.Items = []catalog.Item{r.Items[0], {Name: "缴费基数", Type: "C", Length: 20}}
			}
			if i == 3 {
				r.Domain = "04"
			}
			e := publish(t, w, by, r)
			mustStep(t, w, "request", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.Retire(ctx, tx, by, e.ID, "职能调整", t0.Add(time.Duration(i)*time.Minute))
			})
		}
		list := func(f catalog.Query, limit int) []string {
			t.Helper()
			var out []string
			rq := catalog.RetireQuery{Filter: f, Limit: limit}
			for {
				p, err := catalog.RetireRequests(ctx, db.Read(), w.operator, rq)
				if err != nil {
					t.Fatal(err)
				}
				if len(p.Items) > limit {
					t.Fatalf("page of %d items, limit %d", len(p.Items), limit)
				}
				for _, s := range p.Items {
					out = append(out, s.Name)
				}
				if p.NextCursor == "" {
					return out
				}
				rq.Cursor = p.NextCursor
			}
		}
		for _, c := range []struct {
			f    catalog.Query
			want string
		}{
			{catalog.Query{}, "[户籍档案0 户籍档案1 户籍档案2 户籍档案3 社保缴费记录]"},
			{catalog.Query{DepartmentID: w.rsjID}, "[社保缴费记录]"},
			{catalog.Query{Domain: "04"}, "[户籍档案3]"},
			{catalog.Query{Text: "户籍 档案2"}, "[户籍档案2]"},
			{catalog.Query{Text: "ＮＯＮＥ"}, "[]"},
		} {
			if got := fmt.Sprint(list(c.f, 2)); got != c.want {
				t.Errorf("%+v: %s, want %s", c.f, got, c.want)
			}
			n, err := catalog.CountRetireRequests(ctx, db.Read(), w.operator, c.f)
			if want := len(list(c.f, 100)); err != nil || n != want {
				t.Errorf("count %+v: %d, %v; want %d", c.f, n, err, want)
			}
		}
		if got := fmt.Sprint(list(catalog.Query{}, 100)); got != "[户籍档案0 户籍档案1 户籍档案2 户籍档案3 社保缴费记录]" {
			t.Errorf("one page: %s", got)
		}
		if n, err := catalog.CountRetireRequests(ctx, db.Read(), w.gaj, catalog.Query{}); err != nil || n != 4 {
			t.Errorf("the department's count: %d, %v; want 4", n, err)
		}
		p, err := catalog.RetireRequests(ctx, db.Read(), w.operator, catalog.RetireQuery{Limit: 2})
		if err != nil || p.NextCursor == "" {
			t.Fatalf("first page: %+v, %v", p, err)
		}
		_, err = catalog.RetireRequests(ctx, db.Read(), w.operator,
			catalog.RetireQuery{Filter: catalog.Query{DepartmentID: w.rsjID}, Cursor: p.NextCursor, Limit: 2})
		wantCode(t, "cursor of another filter", err, errs.Invalid, "invalid_cursor")
	})
}
