package calendar_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/calendar"
)

// TestPartialYearKeepsStatutoryHolidays: a file holding only part of a
// year's notice (its 国庆节) covers the year, and the days the law fixes
// that it does not arrange (元旦, 劳动节) stay days off, where they became
// working days once the year was covered; deadlines count them off too.
func TestPartialYearKeepsStatutoryHolidays(t *testing.T) {
	rules, err := calendar.Parse(strings.NewReader("2027-10-01..2027-10-07 holiday 国庆节\n"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := calendar.Default().With(rules)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Covers(2027) {
		t.Fatal("the file does not cover 2027")
	}
	for _, d := range []struct{ day, name string }{{"2027-01-01", "元旦"}, {"2027-05-03", ""}, {"2027-04-30", ""}} {
		kind, name := c.DayKind(at(t, d.day))
		if off := d.name != ""; off != (kind == calendar.Holiday) || name != d.name {
			t.Errorf("DayKind(%s) = %v %q, want holiday %v %q", d.day, kind, name, off, d.name)
		}
	}
	// 2027-01-01 is a Friday: one working day after 2026-12-31 is Monday 01-04.
	if got, want := c.AddWorkingDays(at(t, "2026-12-31"), 1), at(t, "2027-01-05").Add(-time.Nanosecond); !got.Equal(want) {
		t.Errorf("one working day after 2026-12-31: %v, want %v (元旦 2027-01-01 off)", got, want)
	}
	if got := c.WorkingDaysBetween(at(t, "2026-12-31"), at(t, "2027-01-04")); got != 1 {
		t.Errorf("working days from 2026-12-31 to 2027-01-04: %d, want 1", got)
	}
}
