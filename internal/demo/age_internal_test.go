package demo

import (
	"testing"
	"time"
)

// TestAgeAroundMarch: a person's age turns on the birthday, by month and
// day: the day of the year of 1 March differs in leap years, which made
// one born on 1 March 2000 25 on 1 March 2026 and one born on 2 March
// 2001 23 on 1 March 2024.
func TestAgeAroundMarch(t *testing.T) {
	date := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
	for _, c := range []struct {
		born, on time.Time
		want     int
	}{
		{date(2000, 3, 1), date(2026, 3, 1), 26},
		{date(2000, 3, 1), date(2026, 2, 28), 25},
		{date(2001, 3, 2), date(2024, 3, 1), 22},
		{date(2001, 3, 2), date(2024, 3, 2), 23},
		{date(2000, 2, 29), date(2025, 2, 28), 24},
		{date(2000, 2, 29), date(2025, 3, 1), 25},
		{date(1990, 12, 31), date(2025, 12, 30), 34},
	} {
		s := subj{person: true, birth: c.born}
		if got := s.age(c.on); got != c.want {
			t.Errorf("born %s, age on %s = %d, want %d", day(c.born), day(c.on), got, c.want)
		}
	}
}
