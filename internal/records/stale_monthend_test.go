package records_test

import (
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/records"
)

// TestStaleAfterMonthEnd: a monthly or quarterly entry that last received
// data on a month's last days is due by the same day of the target month
// or, when that month is shorter, by its last day in Beijing time, not a
// few days into the month after (Jan 31 + 1 month is not Mar 3), to the
// end of that day (Beijing time), whatever the hour of the last data. The due
// days here are working days (2026-02-28 is a Saturday worked for the
// Spring Festival); TestStaleOverHolidays has those that are not.
func TestStaleAfterMonthEnd(t *testing.T) {
	cal := calendar.Default()
	bj := func(y int, m time.Month, d, h, mi int) time.Time {
		return time.Date(y, m, d, h, mi, 0, 0, calendar.Location()).UTC()
	}
	for _, tt := range []struct {
		name, frequency string
		last, now       time.Time
		stale           bool
	}{
		{"Jan 31, Feb 28 before the hour", "monthly", bj(2026, 1, 31, 10, 0), bj(2026, 2, 28, 9, 0), false},
		{"Jan 31, Feb 28 late in the day", "monthly", bj(2026, 1, 31, 10, 0), bj(2026, 2, 28, 23, 59), false},
		{"Jan 31, Mar 1", "monthly", bj(2026, 1, 31, 10, 0), bj(2026, 3, 1, 9, 0), true},
		{"Jan 31 in a leap year, Feb 29", "monthly", bj(2028, 1, 31, 10, 0), bj(2028, 2, 29, 9, 0), false},
		{"Jan 31 in a leap year, Mar 1", "monthly", bj(2028, 1, 31, 10, 0), bj(2028, 3, 1, 9, 0), true},
		{"Jan 31 Beijing, Jan 30 UTC", "monthly", bj(2026, 1, 31, 1, 0), bj(2026, 2, 28, 23, 0), false},
		{"Mar 31, Apr 30", "monthly", bj(2027, 3, 31, 10, 0), bj(2027, 4, 30, 23, 0), false},
		{"Mar 31, May 1", "monthly", bj(2027, 3, 31, 10, 0), bj(2027, 5, 1, 0, 1), true},
		{"Mar 15, Apr 14", "monthly", bj(2027, 3, 15, 10, 0), bj(2027, 4, 14, 11, 0), false},
		{"Nov 30, Feb 28", "quarterly", bj(2025, 11, 30, 10, 0), bj(2026, 2, 28, 9, 0), false},
		{"Nov 30, Mar 1", "quarterly", bj(2025, 11, 30, 10, 0), bj(2026, 3, 1, 9, 0), true},
		{"Nov 30, Feb 28 a minute after the hour", "quarterly", bj(2025, 11, 30, 10, 0), bj(2026, 2, 28, 10, 1), false},
		{"Nov 15, Feb 15", "quarterly", bj(2026, 11, 15, 10, 0), bj(2027, 2, 15, 9, 0), false},
	} {
		stale, ok := records.StaleAfter(cal, tt.frequency, tt.last, tt.now)
		if !ok || stale != tt.stale {
			t.Errorf("%s: StaleAfter(%s, %s, %s) = %v, %v; want %v", tt.name, tt.frequency,
				tt.last.In(calendar.Location()), tt.now.In(calendar.Location()), stale, ok, tt.stale)
		}
	}
}

// TestStaleOverHolidays: a weekly, monthly, quarterly or yearly entry
// whose next data falls due on a rest day or a public holiday is due by
// the end of the next working day, as a daily entry counts working days.
// A weekly entry last fed on Friday 2026-02-13 was stale on the 21st, in
// the middle of the Spring Festival (02-15 to 02-23), while a daily one
// fed that day is not stale before the 24th.
func TestStaleOverHolidays(t *testing.T) {
	cal := calendar.Default()
	bj := func(y int, m time.Month, d, h, mi int) time.Time {
		return time.Date(y, m, d, h, mi, 0, 0, calendar.Location()).UTC()
	}
	for _, tt := range []struct {
		name, frequency string
		last, now       time.Time
		stale           bool
	}{
		{"daily, Friday before the festival, its last day", "daily", bj(2026, 2, 13, 10, 0), bj(2026, 2, 23, 20, 0), false},
		{"daily, Friday before the festival, the first working day after", "daily", bj(2026, 2, 13, 10, 0), bj(2026, 2, 24, 9, 0), true},
		{"weekly, due in the festival", "weekly", bj(2026, 2, 13, 10, 0), bj(2026, 2, 21, 9, 0), false},
		{"weekly, the first working day after", "weekly", bj(2026, 2, 13, 10, 0), bj(2026, 2, 24, 23, 0), false},
		{"weekly, the day after", "weekly", bj(2026, 2, 13, 10, 0), bj(2026, 2, 25, 0, 1), true},
		{"weekly, fed on a Saturday, due on Saturday", "weekly", bj(2026, 3, 7, 10, 0), bj(2026, 3, 16, 20, 0), false},
		{"weekly, fed on a Saturday, Tuesday", "weekly", bj(2026, 3, 7, 10, 0), bj(2026, 3, 17, 0, 1), true},
		{"weekly, due on a working day, after the hour", "weekly", bj(2026, 3, 2, 10, 0), bj(2026, 3, 9, 23, 59), false},
		{"weekly, due on a working day, the day after", "weekly", bj(2026, 3, 2, 10, 0), bj(2026, 3, 10, 0, 0), true},
		{"monthly, due in the festival", "monthly", bj(2026, 1, 20, 10, 0), bj(2026, 2, 24, 12, 0), false},
		{"monthly, after the festival", "monthly", bj(2026, 1, 20, 10, 0), bj(2026, 2, 25, 0, 1), true},
		{"quarterly, due on National Day", "quarterly", bj(2026, 7, 1, 10, 0), bj(2026, 10, 3, 12, 0), false},
		{"yearly, due on New Year's Day", "yearly", bj(2026, 1, 1, 10, 0), bj(2027, 1, 1, 12, 0), false},
	} {
		stale, ok := records.StaleAfter(cal, tt.frequency, tt.last, tt.now)
		if !ok || stale != tt.stale {
			t.Errorf("%s: StaleAfter(%s, %s, %s) = %v, %v; want %v", tt.name, tt.frequency,
				tt.last.In(calendar.Location()), tt.now.In(calendar.Location()), stale, ok, tt.stale)
		}
	}
}

// TestStaleDueEndOfDay: a weekly or monthly entry is due by the end of the
// due day in Beijing time (23:59:59.999999), as every deadline of the
// platform is, not at the hour of its last data: fed on Monday 2026-11-02
// at 10:00, it is fresh until the end of Monday 11-09, as one fed on
// Sunday 11-01 (due Sunday 11-08, carried to the next working day) is.
// Before, the Monday one was stale at 11-09 10:00:01 and the Sunday one
// not before 11-10: sending earlier left more time.
func TestStaleDueEndOfDay(t *testing.T) {
	cal := calendar.Default()
	bj := func(m time.Month, d, h, mi, s, us int) time.Time {
		return time.Date(2026, m, d, h, mi, s, us*1000, calendar.Location()).UTC()
	}
	for _, tt := range []struct {
		name, frequency string
		last, now       time.Time
		stale           bool
	}{
		{"Monday, a second after the hour", "weekly", bj(11, 2, 10, 0, 0, 0), bj(11, 9, 10, 0, 1, 0), false},
		{"Monday, the day's last microsecond", "weekly", bj(11, 2, 10, 0, 0, 0), bj(11, 9, 23, 59, 59, 999999), false},
		{"Monday, the next day", "weekly", bj(11, 2, 10, 0, 0, 0), bj(11, 10, 0, 0, 0, 0), true},
		{"Sunday, Monday's last microsecond", "weekly", bj(11, 1, 10, 0, 0, 0), bj(11, 9, 23, 59, 59, 999999), false},
		{"Sunday, the next day", "weekly", bj(11, 1, 10, 0, 0, 0), bj(11, 10, 0, 0, 0, 0), true},
		{"monthly, late on the due day", "monthly", bj(10, 12, 10, 0, 0, 0), bj(11, 12, 23, 0, 0, 0), false},
		{"monthly, the next day", "monthly", bj(10, 12, 10, 0, 0, 0), bj(11, 13, 0, 0, 0, 1), true},
	} {
		stale, ok := records.StaleAfter(cal, tt.frequency, tt.last, tt.now)
		if !ok || stale != tt.stale {
			t.Errorf("%s: StaleAfter(%s, %s, %s) = %v, %v; want %v", tt.name, tt.frequency,
				tt.last.In(calendar.Location()), tt.now.In(calendar.Location()), stale, ok, tt.stale)
		}
	}
}
