package calendar_test

import (
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/calendar"
)

// TestParseStart: a deadline's start is a date, the start of that day in
// Beijing time, or an RFC 3339 time with a real offset.
func TestParseStart(t *testing.T) {
	for _, c := range []struct {
		s    string
		want time.Time
	}{
		{"2026-03-02", time.Date(2026, 3, 2, 0, 0, 0, 0, calendar.Location())},
		{"2026-03-02T15:30:00Z", time.Date(2026, 3, 2, 15, 30, 0, 0, time.UTC)},
		{"2026-03-02T23:30:00+08:00", time.Date(2026, 3, 2, 15, 30, 0, 0, time.UTC)},
		{"2026-03-02T10:00:00.5-05:00", time.Date(2026, 3, 2, 15, 0, 0, 5e8, time.UTC)},
	} {
		got, err := calendar.ParseStart(c.s)
		if err != nil || !got.Equal(c.want) {
			t.Errorf("%s: %v, %v; want %v", c.s, got, err, c.want)
		}
	}
	for _, s := range []string{"", "2026-3-2", "2026/03/02", "2026-02-30", "2026-03-02T10:00:00", "2026-03-02T10:00:00+08:60", "2026-03-02 10:00", "明天"} {
		if got, err := calendar.ParseStart(s); err == nil {
			t.Errorf("%q: accepted as %v, want refused", s, got)
		}
	}
}

// TestInRange: a deadline's start and due date lie in the years 0 to 9999
// in Beijing time.
func TestInRange(t *testing.T) {
	at := func(s string) time.Time {
		t.Helper()
		v, err := calendar.ParseStart(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, c := range []struct {
		from, due string
		ok        bool
	}{
		{"0000-01-01", "9999-12-31T23:59:59.999999999+08:00", true},
		{"0000-01-01T00:00:00+14:00", "2026-01-01", false}, // -0001-12-31 in Beijing
		{"2026-01-01", "9999-12-31T16:00:00Z", false},      // 10000-01-01 in Beijing
	} {
		if got := calendar.InRange(at(c.from), at(c.due)); got != c.ok {
			t.Errorf("%s to %s: %v, want %v", c.from, c.due, got, c.ok)
		}
	}
}
