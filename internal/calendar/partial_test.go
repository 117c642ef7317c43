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
// fixes that it does not arrange (元旦, 劳动节) stay days off, with the
// 补假 of 劳动节 (05-01 and 05-02 are a weekend); deadlines count them off
// too. The 国庆节 the file arranges gets no 补假 from the law.
func TestPartialYearKeepsStatutoryHolidays(t *testing.T) {
	c := withFile(t, "2027-10-01..2027-10-07 holiday 国庆节\n")
	for _, d := range []struct{ day, name string }{{"2027-01-01", "元旦"}, {"2027-05-03", "劳动节补假"},
		{"2027-05-04", "劳动节补假"}, {"2027-04-30", ""}, {"2027-05-05", ""}, {"2027-10-08", ""}} {
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
// name each of the seven holidays of the notice, where one holiday rule
// ending in the year covered it: a file of a year's 国庆节 alone, or of a
// 元旦 break reaching into the next year, made deadlines skip no 春节; one
// without 劳动节 and 国庆节 counted the year covered, and deadlines
// across 国庆 counted its 补假 and break as working days unwarned.
func TestPartialYearNotCovered(t *testing.T) {
	all := []string{"元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"}
	for _, tt := range []struct {
		name, file string
		year       int
		missing    []string
	}{
		{"国庆节 only", "2027-10-01..2027-10-07 holiday 国庆节\n", 2027, all[:6]},
		{"元旦 into the next year", "2027-12-31..2028-01-02 holiday 元旦\n", 2028, all[1:]},
		{"元旦 into the next year, earlier year", "2027-12-31..2028-01-02 holiday 元旦\n", 2027, all},
		{"no 清明, 中秋 with 国庆", "2027-01-01 holiday 元旦\n2027-02-06..2027-02-14 holiday 春节\n" +
			"2027-05-01..2027-05-05 holiday 劳动节\n2027-06-09..2027-06-11 holiday 端午节\n" +
			"2027-10-01..2027-10-07 holiday 国庆节、中秋节\n", 2027, []string{"清明节"}},
		{"no 元旦, 劳动节, 国庆节", c27, 2027, []string{"元旦", "劳动节", "国庆节"}},
		{"whole notice", "2027-01-01 holiday 元旦\n" + c27 +
			"2027-05-01..2027-05-05 holiday 劳动\n2027-10-01..2027-10-07 holiday 国庆\n", 2027, nil},
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
	// Without 国庆节: not covered, a gap, and three working days from
	// 2027-09-30 skip 10-01..10-03 and the 补假 10-04, 10-05.
	c = withFile(t, c27)
	from = at(t, "2027-09-30")
	due := c.AddWorkingDays(from, 3)
	if c.CoversSpan(from, due) {
		t.Error("CoversSpan across 2027 without its 国庆节")
	}
	if got := c.Gaps(at(t, "2027-06-01")); !slices.Equal(got, []int{2027}) {
		t.Errorf("Gaps(2027-06-01) = %v, want [2027]", got)
	}
	if got := calendar.DateOf(due).String(); got != "2027-10-08" {
		t.Errorf("3 working days from 2027-09-30 without 国庆节 arranged: due %s, want 2027-10-08", got)
	}
}

// c27 arranges the holidays of 2027 that the law does not fix in the solar
// calendar, and neither 元旦 nor 劳动节 nor 国庆节.
const c27 = "2027-02-06..2027-02-14 holiday 春节\n2027-04-03..2027-04-05 holiday 清明\n" +
	"2027-06-09..2027-06-11 holiday 端午节\n2027-09-15 holiday 中秋节\n"

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

// TestStatutoryMakeup: 《全国年节及纪念日放假办法》 第六条 gives a holiday of
// all citizens that falls on a weekend back on the weekdays after it; the
// fallback of a year without the notice applied none, so one working day
// after 2027-04-30 was 05-03 (劳动节 05-01 and 05-02 are a weekend). A
// notice arranging the holiday takes the place of the make-up days.
func TestStatutoryMakeup(t *testing.T) {
	for _, tt := range []struct {
		year int
		want string
	}{
		{2027, "2027-05-03..2027-05-04 holiday 劳动节补假;2027-10-04..2027-10-05 holiday 国庆节补假"},
		{2028, "2028-01-03 holiday 元旦补假;2028-10-04 holiday 国庆节补假"}, // 01-01 Sat; 10-01 Sun
		{2024, ""},
		{1999, "1999-10-04..1999-10-05 holiday 国庆节补假"}, // 270号 came into force 1999-09-18
		{1998, ""}, // the 1949 text: none
	} {
		var got []string
		for _, r := range calendar.StatutoryMakeup(tt.year) {
			got = append(got, r.String())
		}
		if strings.Join(got, ";") != tt.want {
			t.Errorf("StatutoryMakeup(%d) = %q, want %q", tt.year, got, tt.want)
		}
	}
	var zero calendar.Calendar
	if got := calendar.DateOf(zero.AddWorkingDays(at(t, "2027-04-30"), 1)).String(); got != "2027-05-05" {
		t.Errorf("one working day after 2027-04-30: %s, want 2027-05-05 (补假 05-03, 05-04)", got)
	}
	if got := zero.WorkingDaysBetween(at(t, "2027-09-30"), at(t, "2027-10-08")); got != 3 {
		t.Errorf("working days 2027-09-30 to 10-08: %d, want 3 (10-06, 10-07, 10-08)", got)
	}
	if got := zero.Unarranged(2027); len(got) != 5 || got[2].Name != "劳动节补假" {
		t.Errorf("Unarranged(2027) = %v, want 元旦, 劳动节, 劳动节补假, 国庆节, 国庆节补假", got)
	}
	// A file arranging 劳动节 (05-01..05-03, hypothetically) decides: 05-04
	// is a working day.
	c := withFile(t, "2027-05-01..2027-05-03 holiday 劳动节\n")
	if !c.IsWorkingDay(at(t, "2027-05-04")) {
		t.Error("2027-05-04 off though the file arranges 劳动节")
	}
	if got := c.Unarranged(2027); len(got) != 3 {
		t.Errorf("Unarranged(2027) with 劳动节 arranged = %v, want 元旦, 国庆节, 国庆节补假", got)
	}
}
