package catalog_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// bj is a time of the Beijing calendar.
func bj(y int, m time.Month, d, hour, min int) time.Time {
	return time.Date(y, m, d, hour, min, 0, 0, calendar.Location())
}

// TestReviewDueCalendar: an entry reviewed on a day (Beijing) falls due
// at the end of the same date next year, whatever the hour of the review
// (before, 365×24 hours after it: at 17:00 on the day before the
// anniversary for a review at 17:00, or later in a year with 29 February);
// a review on 29 February falls due at the end of 28 February. ReviewDue
// agrees with ReviewDueFrom for every day of four years.
func TestReviewDueCalendar(t *testing.T) {
	published := func(at time.Time) catalog.Entry {
		return catalog.Entry{Status: catalog.Published, ReviewedAt: &at}
	}
	for _, c := range []struct {
		reviewed, notYet, due time.Time
	}{
		{bj(2026, 3, 2, 17, 0), bj(2027, 3, 2, 23, 59), bj(2027, 3, 3, 0, 0)},
		{bj(2026, 11, 3, 8, 46), bj(2027, 11, 3, 23, 59), bj(2027, 11, 4, 0, 0)},
		{bj(2027, 3, 1, 0, 5), bj(2028, 3, 1, 23, 59), bj(2028, 3, 2, 0, 0)}, // a year with 29 February
		{bj(2028, 2, 29, 10, 0), bj(2029, 2, 28, 23, 59), bj(2029, 3, 1, 0, 0)},
		{bj(2027, 2, 28, 10, 0), bj(2028, 2, 28, 23, 59), bj(2028, 2, 29, 0, 0)},
		{bj(2026, 12, 31, 23, 30), bj(2027, 12, 31, 23, 59), bj(2028, 1, 1, 0, 0)},
	} {
		e := published(c.reviewed)
		if catalog.ReviewDue(e, c.notYet) || !catalog.ReviewDue(e, c.due) {
			t.Errorf("reviewed %s: due at %s %v (want false), at %s %v (want true)", c.reviewed, c.notYet,
				catalog.ReviewDue(e, c.notYet), c.due, catalog.ReviewDue(e, c.due))
		}
		if got := catalog.ReviewDueFrom(c.reviewed); !got.Equal(c.due) {
			t.Errorf("ReviewDueFrom(%s) = %s, want %s", c.reviewed, got, c.due)
		}
	}
	for day := bj(2026, 1, 1, 0, 0); day.Before(bj(2030, 1, 1, 0, 0)); day = day.AddDate(0, 0, 1) {
		for _, at := range []time.Time{day, day.Add(13 * time.Hour), day.Add(24*time.Hour - time.Second)} {
			e, from := published(at), catalog.ReviewDueFrom(at)
			if catalog.ReviewDue(e, from.Add(-time.Nanosecond)) || !catalog.ReviewDue(e, from) || !catalog.ReviewDue(e, from.AddDate(0, 1, 0)) {
				t.Fatalf("reviewed %s: ReviewDue disagrees with ReviewDueFrom %s", at, from)
			}
		}
	}
}

// TestConfirmFromStatedDay: the day Submit's refusal names for an
// unchanged annual confirmation is the first day it is accepted, from
// 00:00 Beijing; before, it was accepted only from the hour of the last
// review on that day (reviewed at 17:00 Beijing: refused at 00:30 of the
// day named).
func TestConfirmFromStatedDay(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		e := publish(t, w, w.gaj, household()) // reviewed at t0, 17:00 Beijing
		submit := func(at time.Time) (catalog.Entry, error) {
			return step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.Submit(ctx, tx, w.gaj, e.ID, at)
			})
		}
		_, err := submit(t0.AddDate(0, 6, 0))
		ee := errs.As(err)
		if ee == nil || ee.Code != "nothing_to_submit" {
			t.Fatalf("half a year on: %v, want nothing_to_submit", err)
		}
		i := strings.Index(ee.Message, "年度复核自 ")
		if i < 0 {
			t.Fatalf("no date in %q", ee.Message)
		}
		day, err := time.ParseInLocation("2006-01-02", ee.Message[i+len("年度复核自 "):][:10], calendar.Location())
		if err != nil {
			t.Fatalf("date of %q: %v", ee.Message, err)
		}
		if _, err := submit(day.Add(-time.Minute)); errs.As(err) == nil || errs.As(err).Code != "nothing_to_submit" {
			t.Errorf("the minute before %s: %v, want nothing_to_submit", day.Format("2006-01-02"), err)
		}
		if got, err := submit(day.Add(30 * time.Minute)); err != nil || got.WorkingStatus != catalog.Submitted {
			t.Errorf("00:30 of %s, the day named: %v, want submitted", day.Format("2006-01-02"), err)
		}
	})
}
