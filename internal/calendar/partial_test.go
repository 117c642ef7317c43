package calendar_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/calendar"
)

// TestPartialYearKeepsStatutoryHolidays: a file holding only part of a
// year's notice (its 国庆节) does not cover the year, and the days the law
// fixes that it does not arrange (元旦, 劳动节) stay days off; deadlines
// count them off too.
func TestPartialYearKeepsStatutoryHolidays(t *testing.T) {
	c := withFile(t, "2027-10-01..2027-10-07 holiday 国庆节\n")
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

// TestPartialYearNotCovered: a year is covered only when its arrangements
// name each holiday of the notice that the law does not fix in the solar
// calendar (春节, 清明节, 端午节, 中秋节), where one holiday rule ending in the
// year covered it: a file of a year's 国庆节 alone, or of a 元旦 break
// reaching into the next year, made deadlines skip no 春节.
func TestPartialYearNotCovered(t *testing.T) {
	all := []string{"春节", "清明节", "端午节", "中秋节"}
	for _, tt := range []struct {
		name, file string
		year       int
		missing    []string
	}{
		{"国庆节 only", "2027-10-01..2027-10-07 holiday 国庆节\n", 2027, all},
		{"元旦 into the next year", "2027-12-31..2028-01-02 holiday 元旦\n", 2028, all},
		{"元旦 into the next year, earlier year", "2027-12-31..2028-01-02 holiday 元旦\n", 2027, all},
		{"no 清明, 中秋 with 国庆", "2027-02-06..2027-02-14 holiday 春节\n2027-06-09..2027-06-11 holiday 端午节\n" +
			"2027-10-01..2027-10-07 holiday 国庆节、中秋节\n", 2027, []string{"清明节"}},
		{"whole notice", "2027-02-06..2027-02-14 holiday 春节\n2027-04-03..2027-04-05 holiday 清明\n" +
			"2027-06-09..2027-06-11 holiday 端午节\n2027-09-15 holiday 中秋节\n", 2027, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := withFile(t, tt.file)
			if got := c.Missing(tt.year); !slices.Equal(got, tt.missing) {
				t.Errorf("Missing(%d) = %v, want %v", tt.year, got, tt.missing)
			}
			if got, want := c.Covers(tt.year), tt.missing == nil; got != want {
				t.Errorf("Covers(%d) = %v, want %v", tt.year, got, want)
			}
			if got, want := slices.Contains(c.Years(), tt.year), tt.missing == nil; got != want {
				t.Errorf("Years() = %v, has %d %v, want %v", c.Years(), tt.year, got, want)
			}
		})
	}
	for _, y := range []int{2025, 2026} {
		if m := calendar.Default().Missing(y); !calendar.Default().Covers(y) || m != nil {
			t.Errorf("built-in %d: covered %v, missing %v", y, calendar.Default().Covers(y), m)
		}
	}
	// 2027-02-05 is a Friday inside the real 春节 break: with a file of
	// 国庆节 only, the deadline is not covered.
	c := withFile(t, "2027-10-01..2027-10-07 holiday 国庆节\n")
	from := at(t, "2027-02-05")
	if c.CoversSpan(from, c.AddWorkingDays(from, 2)) {
		t.Error("CoversSpan across 2027 with only its 国庆节 arranged")
	}
}

func withFile(t *testing.T, file string) *calendar.Calendar {
	t.Helper()
	rules, err := calendar.Parse(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	c, err := calendar.Default().With(rules)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestFirstYear: FirstYear is the first year with statutory holidays.
func TestFirstYear(t *testing.T) {
	if n := len(calendar.StatutoryHolidays(calendar.FirstYear)); n == 0 {
		t.Errorf("no statutory holidays in FirstYear %d", calendar.FirstYear)
	}
	if n := len(calendar.StatutoryHolidays(calendar.FirstYear - 1)); n != 0 {
		t.Errorf("%d statutory holidays in %d, before FirstYear", n, calendar.FirstYear-1)
	}
}
