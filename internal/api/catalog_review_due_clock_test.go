package api_test

import (
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/testclock"
)

// TestCatalogReviewDueServerClock: review_due is judged at the server's
// clock, the one the yearly confirmation (catalog.ConfirmDue) and the
// review_due search judge by, not the real one. An entry approved in 2026
// is due on a clock in 2030 (GET, a lifecycle answer and the search agree)
// and not due on the clock back in 2026.
func TestCatalogReviewDueServerClock(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		clock := testclock.New(time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC))
		f.onClock(t, clock)
		admin, op := f.session(t, "mz.admin"), f.session(t, "nh.op")
		r := f.do(t, "POST", "/api/v1/catalog/entries", "", marriageEntry, admin...)
		if r.status != 201 {
			t.Fatalf("create: %d %v", r.status, r.body)
		}
		id := jsonNumber(r.body["id"])
		base := "/api/v1/catalog/entries/" + id
		if r := f.do(t, "POST", base+"/submit", "", "", admin...); r.status != 200 {
			t.Fatalf("submit: %d %v", r.status, r.body)
		}
		if r := f.do(t, "POST", base+"/approve", "", "", op...); r.status != 200 || r.body["review_due"] != false {
			t.Fatalf("approve: %d %v", r.status, r.body)
		}
		listed := func() bool {
			t.Helper()
			r := f.do(t, "GET", "/api/v1/catalog/entries?review_due=true", "", "", op...)
			if r.status != 200 {
				t.Fatalf("search review_due: %d %v", r.status, r.body)
			}
			items, _ := r.body["items"].([]any)
			for _, it := range items {
				if m, _ := it.(map[string]any); jsonNumber(m["id"]) == id {
					return m["review_due"] == true
				}
			}
			return false
		}
		for _, c := range []struct {
			name string
			add  time.Duration
			due  bool
		}{
			{"2030", 4 * 365 * 24 * time.Hour, true},
			{"back in 2026", -4 * 365 * 24 * time.Hour, false},
		} {
			clock.Add(c.add)
			admin, op = f.session(t, "mz.admin"), f.session(t, "nh.op")
			if g := f.do(t, "GET", base, "", "", admin...); g.status != 200 || g.body["review_due"] != c.due {
				t.Errorf("%s: GET %d review_due %v, want %v", c.name, g.status, g.body["review_due"], c.due)
			}
			if w := f.do(t, "GET", base+"?view=working", "", "", admin...); w.body["review_due"] != c.due {
				t.Errorf("%s: GET ?view=working review_due %v, want %v", c.name, w.body["review_due"], c.due)
			}
			if got := listed(); got != c.due {
				t.Errorf("%s: listed by ?review_due=true %v, want %v", c.name, got, c.due)
			}
		}
		clock.Add(4 * 365 * 24 * time.Hour)
		admin = f.session(t, "mz.admin")
		if r := f.do(t, "PUT", base, "", marriageEntry, admin...); r.status != 200 || r.body["review_due"] != true {
			t.Errorf("identical PUT in 2030: %d review_due %v, want true", r.status, r.body["review_due"])
		}
	})
}
