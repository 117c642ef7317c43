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
// few days into the month after (Jan 31 + 1 month is not Mar 3).
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
		{"Jan 31, Feb 28 before the hour", "monthly", bj(2027, 1, 31, 10, 0), bj(2027, 2, 28, 9, 0), false},
		{"Jan 31, Feb 28 after the hour", "monthly", bj(2027, 1, 31, 10, 0), bj(2027, 2, 28, 11, 0), true},
		{"Jan 31, Mar 1", "monthly", bj(2027, 1, 31, 10, 0), bj(2027, 3, 1, 9, 0), true},
		{"Jan 31 in a leap year, Feb 29", "monthly", bj(2028, 1, 31, 10, 0), bj(2028, 2, 29, 9, 0), false},
		{"Jan 31 in a leap year, Mar 1", "monthly", bj(2028, 1, 31, 10, 0), bj(2028, 3, 1, 9, 0), true},
		{"Jan 31 Beijing, Jan 30 UTC", "monthly", bj(2027, 1, 31, 1, 0), bj(2027, 2, 28, 2, 0), true},
		{"Mar 31, Apr 30", "monthly", bj(2027, 3, 31, 10, 0), bj(2027, 4, 30, 11, 0), true},
		{"Mar 15, Apr 14", "monthly", bj(2027, 3, 15, 10, 0), bj(2027, 4, 14, 11, 0), false},
		{"Nov 30, Feb 28", "quarterly", bj(2026, 11, 30, 10, 0), bj(2027, 2, 28, 9, 0), false},
		{"Nov 30, Mar 1", "quarterly", bj(2026, 11, 30, 10, 0), bj(2027, 3, 1, 9, 0), true},
		{"Nov 30, Feb 28 a minute after the hour", "quarterly", bj(2026, 11, 30, 10, 0), bj(2027, 2, 28, 10, 1), true},
		{"Nov 15, Feb 15", "quarterly", bj(2026, 11, 15, 10, 0), bj(2027, 2, 15, 9, 0), false},
	} {
		stale, ok := records.StaleAfter(cal, tt.frequency, tt.last, tt.now)
		if !ok || stale != tt.stale {
			t.Errorf("%s: StaleAfter(%s, %s, %s) = %v, %v; want %v", tt.name, tt.frequency,
				tt.last.In(calendar.Location()), tt.now.In(calendar.Location()), stale, ok, tt.stale)
		}
	}
}
