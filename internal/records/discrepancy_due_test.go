package records_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDiscrepancyDueMicroseconds: a discrepancy's feedback deadline is
// stored to the microsecond, as PostgreSQL keeps it, so that both engines
// answer the same due_at (the last microsecond of the fifth working day),
// where SQLite kept the nanoseconds of the calendar's last instant.
func TestDiscrepancyDueMicroseconds(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		_, _, d1, _ := f.twoDisputedNames()
		want := calendar.Default().AddWorkingDays(f.receivedAt, records.FeedbackDays).Truncate(time.Microsecond)
		for _, d := range []records.Discrepancy{d1[0], f.get(d1[0].ID)} {
			if !d.DueAt.Equal(want) {
				t.Errorf("discrepancy %d is due at %s, want %s", d.ID, d.DueAt.Format(time.RFC3339Nano), want.Format(time.RFC3339Nano))
			}
		}
	})
}

func (f *fixture) get(id int64) records.Discrepancy {
	f.t.Helper()
	d, err := records.GetDiscrepancy(f.ctx, f.db.Read(), id, f.receivedAt)
	if err != nil {
		f.t.Fatal(err)
	}
	return d
}

// spring2027 is the default calendar with a 2027 Spring Festival (02-05 to
// 02-13), as a notice loaded after the built-in years would add it.
func spring2027(t *testing.T) *calendar.Calendar {
	t.Helper()
	rules, err := calendar.Parse(strings.NewReader("2027-02-05..2027-02-13 holiday 春节\n"))
	if err != nil {
		t.Fatal(err)
	}
	cal, err := calendar.Default().With(rules)
	if err != nil {
		t.Fatal(err)
	}
	return cal
}

// full2027 is the default calendar with an arrangement of every holiday
// of 2027's notice (shaped like one, not the official one), so that it
// covers 2027 (calendar.Calendar.Covers).
func full2027(t *testing.T) *calendar.Calendar {
	t.Helper()
	rules, err := calendar.Parse(strings.NewReader(`2027-01-01..2027-01-03 holiday 元旦
2027-02-05..2027-02-13 holiday 春节
2027-02-20 workday 春节调休
2027-04-03..2027-04-05 holiday 清明节
2027-05-01..2027-05-05 holiday 劳动节
2027-06-09..2027-06-11 holiday 端午节
2027-09-15 holiday 中秋节
2027-10-01..2027-10-07 holiday 国庆节
`))
	if err != nil {
		t.Fatal(err)
	}
	cal, err := calendar.Default().With(rules)
	if err != nil {
		t.Fatal(err)
	}
	if !cal.Covers(2027) {
		t.Fatal("full2027 does not cover 2027")
	}
	return cal
}

// TestRecomputeDueDates: a discrepancy found on Wednesday 2027-02-03 by a
// calendar without that year's arrangement is due on 02-10, in the Spring
// Festival; once the calendar knows it, RecomputeDueDates moves the
// deadline of the discrepancies not closed to the fifth working day after
// the festival (02-18), and the departments are not overdue on holiday.
// A closed discrepancy keeps its deadline; a second call changes nothing.
// Before, stored deadlines were never recomputed. A calendar that does
// not have 2027's whole arrangement (the festival alone, or the default
// one of a server started without --calendar, after the recomputation)
// leaves the deadline as stored (Uncovered): it moved it (back) onto a
// holiday.
func TestRecomputeDueDates(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		f.receivedAt = time.Date(2027, 2, 3, 10, 0, 0, 0, calendar.Location()).UTC()
		p1, p2, d1, d2 := f.twoDisputedNames()
		old := time.Date(2027, 2, 10, 23, 59, 59, 999999000, calendar.Location())
		if !d1[0].DueAt.Equal(old) {
			t.Fatalf("found by the default calendar: due %s, want %s", d1[0].DueAt, old)
		}
		// p2's discrepancy is closed: the two sources come to agree.
		f.push(f.rsjPusher, f.sb, line("change", p2, monday.Add(time.Minute), map[string]string{"姓名": "李四"}, ""), records.Options{})
		if l := f.live(p2); len(l) != 0 {
			t.Fatalf("p2: %+v, want closed", l)
		}
		holiday := time.Date(2027, 2, 12, 10, 0, 0, 0, calendar.Location())
		if d, err := records.GetDiscrepancy(f.ctx, db.Read(), d1[0].ID, holiday); err != nil || !d.Overdue {
			t.Fatalf("before: overdue %v, %v; want overdue by the stale deadline", d.Overdue, err)
		}

		if n, err := records.RecomputeDueDates(f.ctx, db, spring2027(t)); err != nil || n != (records.Recomputed{Uncovered: 1}) {
			t.Fatalf("RecomputeDueDates by a calendar without 2027's whole arrangement = %+v, %v; want 1 left uncovered", n, err)
		}
		if got := f.get(d1[0].ID); !got.DueAt.Equal(old) {
			t.Fatalf("left: due %s, want %s", got.DueAt, old)
		}
		n, err := records.RecomputeDueDates(f.ctx, db, full2027(t))
		if err != nil || n != (records.Recomputed{Changed: 1}) {
			t.Fatalf("RecomputeDueDates = %+v, %v; want 1 changed", n, err)
		}
		want := time.Date(2027, 2, 18, 23, 59, 59, 999999000, calendar.Location())
		d, err := records.GetDiscrepancy(f.ctx, db.Read(), d1[0].ID, holiday)
		if err != nil || !d.DueAt.Equal(want) || d.Overdue {
			t.Errorf("after: due %s, overdue %v, %v; want due %s, not overdue", d.DueAt, d.Overdue, err, want)
		}
		c, err := records.CountDiscrepancies(f.ctx, db.Read(), db.Dialect, records.DiscrepancyFilter{SubjectID: p1, Status: "open"}, holiday)
		if err != nil || c.Overdue != 0 {
			t.Errorf("count on holiday: %+v, %v; want none overdue", c, err)
		}
		if closed := f.get(d2[0].ID); !closed.DueAt.Equal(old) {
			t.Errorf("closed discrepancy: due %s, want %s kept", closed.DueAt, old)
		}
		if n, err := records.RecomputeDueDates(f.ctx, db, full2027(t)); err != nil || n != (records.Recomputed{}) {
			t.Errorf("second call = %+v, %v; want nothing", n, err)
		}
		// A server without the arrangement does not move it back.
		if n, err := records.RecomputeDueDates(f.ctx, db, calendar.Default()); err != nil || n != (records.Recomputed{Uncovered: 1}) {
			t.Errorf("by the default calendar after = %+v, %v; want 1 left", n, err)
		}
		if got := f.get(d1[0].ID); !got.DueAt.Equal(want) {
			t.Errorf("after the default calendar: due %s, want %s kept", got.DueAt, want)
		}
	})
}

// TestRecomputeDueDatesChunks: the discrepancies are read and updated a
// chunk at a time (here one each), and every chunk's are recomputed: the
// keyset carries over from one chunk to the next.
func TestRecomputeDueDatesChunks(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		defer records.SetRecomputeChunk(1)()
		f := setup(t, db)
		f.receivedAt = time.Date(2027, 2, 3, 10, 0, 0, 0, calendar.Location()).UTC()
		_, _, d1, d2 := f.twoDisputedNames()
		n, err := records.RecomputeDueDates(f.ctx, db, full2027(t))
		if err != nil || n != (records.Recomputed{Changed: 2}) {
			t.Fatalf("RecomputeDueDates by chunks of 1 = %+v, %v; want 2 changed", n, err)
		}
		want := time.Date(2027, 2, 18, 23, 59, 59, 999999000, calendar.Location())
		for _, d := range []records.Discrepancy{d1[0], d2[0]} {
			if got := f.get(d.ID); !got.DueAt.Equal(want) {
				t.Errorf("discrepancy %d: due %s, want %s", d.ID, got.DueAt, want)
			}
		}
	})
}
