package catalog_test

import (
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestSearchReviewDueCalendar: the search's review_due filter and each
// hit's flag judge by the Beijing calendar date, as the entry's
// (catalog.ReviewDue): an entry reviewed at 17:00 on 2 March 2026 is not
// due at 20:00 on 2 March 2027 (past 365×24 hours, which the search used)
// and is due from 00:00 on 3 March.
func TestSearchReviewDueCalendar(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		w := newWorld(t, db)
		e := publish(t, w, w.gaj, household())
		for _, c := range []struct {
			now time.Time
			due bool
		}{{bj(2027, 3, 2, 20, 0), false}, {bj(2027, 3, 3, 0, 0), true}} {
			if got := catalog.ReviewDue(e, c.now); got != c.due {
				t.Fatalf("entry reviewed %s: ReviewDue at %s = %v, want %v", e.ReviewedAt, c.now, got, c.due)
			}
			all, err := catalog.Search(ctx, db.Read(), w.operator, catalog.Query{Now: c.now})
			if err != nil {
				t.Fatal(err)
			}
			if len(all.Items) != 1 || all.Items[0].ReviewDue != c.due {
				t.Errorf("at %s: hits %+v, want the entry with review_due %v", c.now, all.Items, c.due)
			}
			due, err := catalog.Search(ctx, db.Read(), w.operator, catalog.Query{ReviewDue: true, Now: c.now})
			if err != nil {
				t.Fatal(err)
			}
			if (len(due.Items) == 1) != c.due || len(due.Items) > 1 {
				t.Errorf("at %s: review_due=true lists %d entries, want the entry listed %v", c.now, len(due.Items), c.due)
			}
		}
	})
}
