package calendar_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/errs"
)

// at parses "2006-01-02" or "2006-01-02 15:04" in Beijing time.
func at(t testing.TB, s string) time.Time {
	t.Helper()
	layout := time.DateOnly
	if len(s) > len(layout) {
		layout = "2006-01-02 15:04"
	}
	v, err := time.ParseInLocation(layout, s, calendar.Location())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestDefaultYears(t *testing.T) {
	c := calendar.Default()
	if got, want := c.Years(), []int{2025, 2026}; !slices.Equal(got, want) {
		t.Errorf("Years() = %v, want %v", got, want)
	}
	for _, tt := range []struct {
		year int
		want bool
	}{{2024, false}, {2025, true}, {2026, true}, {2027, false}} {
		if got := c.Covers(tt.year); got != tt.want {
			t.Errorf("Covers(%d) = %v, want %v", tt.year, got, tt.want)
		}
	}
}

func TestDayKind(t *testing.T) {
	c := calendar.Default()
	tests := []struct {
		day      string
		kind     calendar.Kind
		name     string
		weekday  time.Weekday
		isWorkin bool
	}{
		{"2025-01-01", calendar.Holiday, "元旦", time.Wednesday, false},
		{"2025-01-26", calendar.AdjustedWorkday, "春节调休", time.Sunday, true},
		{"2025-02-01", calendar.Holiday, "春节", time.Saturday, false},
		{"2025-02-04", calendar.Holiday, "春节", time.Tuesday, false},
		{"2025-02-05", calendar.Workday, "", time.Wednesday, true},
		{"2025-02-08", calendar.AdjustedWorkday, "春节调休", time.Saturday, true},
		{"2025-04-27", calendar.AdjustedWorkday, "劳动节调休", time.Sunday, true},
		{"2025-06-02", calendar.Holiday, "端午节", time.Monday, false},
		{"2025-09-28", calendar.AdjustedWorkday, "国庆节、中秋节调休", time.Sunday, true},
		{"2025-10-08", calendar.Holiday, "国庆节、中秋节", time.Wednesday, false},
		{"2025-10-11", calendar.AdjustedWorkday, "国庆节、中秋节调休", time.Saturday, true},
		{"2026-01-03", calendar.Holiday, "元旦", time.Saturday, false},
		{"2026-01-04", calendar.AdjustedWorkday, "元旦调休", time.Sunday, true},
		{"2026-01-10", calendar.Weekend, "", time.Saturday, false},
		{"2026-02-14", calendar.AdjustedWorkday, "春节调休", time.Saturday, true},
		{"2026-02-23", calendar.Holiday, "春节", time.Monday, false},
		{"2026-02-28", calendar.AdjustedWorkday, "春节调休", time.Saturday, true},
		{"2026-04-06", calendar.Holiday, "清明节", time.Monday, false},
		{"2026-05-05", calendar.Holiday, "劳动节", time.Tuesday, false},
		{"2026-05-09", calendar.AdjustedWorkday, "劳动节调休", time.Saturday, true},
		{"2026-06-19", calendar.Holiday, "端午节", time.Friday, false},
		{"2026-09-20", calendar.AdjustedWorkday, "国庆节调休", time.Sunday, true},
		{"2026-09-25", calendar.Holiday, "中秋节", time.Friday, false},
		{"2026-10-07", calendar.Holiday, "国庆节", time.Wednesday, false},
		{"2026-10-10", calendar.AdjustedWorkday, "国庆节调休", time.Saturday, true},
		// Years not covered: weekends and the statutory holidays fixed in the
		// solar calendar, by the version of the law in force on the day,
		// with the make-up days (补假) of those on a Saturday or Sunday.
		{"2030-02-04", calendar.Workday, "", time.Monday, true}, // 春节 unknown
		{"2030-02-02", calendar.Weekend, "", time.Saturday, false},
		{"2027-01-01", calendar.Holiday, "元旦", time.Friday, false},
		{"2027-05-03", calendar.Holiday, "劳动节补假", time.Monday, false}, // 05-01 and 05-02 are a weekend
		{"2027-05-04", calendar.Holiday, "劳动节补假", time.Tuesday, false},
		{"2027-05-05", calendar.Workday, "", time.Wednesday, true},
		{"2028-01-03", calendar.Holiday, "元旦补假", time.Monday, false},
		{"2024-05-01", calendar.Holiday, "劳动节", time.Wednesday, false},
		{"2024-05-02", calendar.Workday, "", time.Thursday, true}, // one day before 2025
		{"2008-05-02", calendar.Workday, "", time.Friday, true},
		{"2000-05-03", calendar.Holiday, "劳动节", time.Wednesday, false},
		{"1999-05-03", calendar.Workday, "", time.Monday, true}, // the 1999 revision came in September
		{"1999-10-03", calendar.Holiday, "国庆节", time.Sunday, false},
		{"1999-10-05", calendar.Holiday, "国庆节补假", time.Tuesday, false},
		{"1999-05-04", calendar.Workday, "", time.Tuesday, true}, // no 补假 under the 1949 text
	}
	for _, tt := range tests {
		t.Run(tt.day, func(t *testing.T) {
			d := at(t, tt.day)
			if got := d.Weekday(); got != tt.weekday {
				t.Fatalf("test data: weekday = %v, want %v", got, tt.weekday)
			}
			kind, name := c.DayKind(d.Add(13 * time.Hour))
			if kind != tt.kind || name != tt.name {
				t.Errorf("DayKind = %v %q, want %v %q", kind, name, tt.kind, tt.name)
			}
			if got := c.IsWorkingDay(d); got != tt.isWorkin {
				t.Errorf("IsWorkingDay = %v, want %v", got, tt.isWorkin)
			}
			if kind.Working() != tt.isWorkin {
				t.Errorf("%v.Working() = %v, want %v", kind, kind.Working(), tt.isWorkin)
			}
		})
	}
}

func TestBeijingTime(t *testing.T) {
	c := calendar.Default()
	// 2026-02-13 20:00 UTC is Saturday 2026-02-14 04:00 in Beijing, a 春节调休 working day.
	sat := time.Date(2026, 2, 13, 20, 0, 0, 0, time.UTC)
	if kind, _ := c.DayKind(sat); kind != calendar.AdjustedWorkday {
		t.Errorf("DayKind(%v) = %v, want %v", sat, kind, calendar.AdjustedWorkday)
	}
	if got, want := calendar.DateOf(sat).String(), "2026-02-14"; got != want {
		t.Errorf("DateOf(%v) = %s, want %s", sat, got, want)
	}
	// 2026-02-14 16:30 UTC is already Sunday 2026-02-15 in Beijing, 春节.
	if c.IsWorkingDay(time.Date(2026, 2, 14, 16, 30, 0, 0, time.UTC)) {
		t.Error("2026-02-15 00:30 Beijing time is a working day, want holiday")
	}
}

func TestAddWorkingDays(t *testing.T) {
	c := calendar.Default()
	tests := []struct {
		name string
		from string
		n    int
		due  string
	}{
		{"Friday plus one is Monday", "2026-03-06 17:30", 1, "2026-03-09"},
		{"ordinary week", "2026-03-09 09:00", 5, "2026-03-16"},
		{"zero on a working day", "2026-03-09 23:00", 0, "2026-03-09"},
		{"zero on a holiday", "2026-10-01", 0, "2026-10-08"},
		{"zero on an adjusted Saturday", "2026-10-10", 0, "2026-10-10"},
		{"2025 春节 with adjusted Sunday before", "2025-01-24 15:00", 5, "2025-02-07"},
		{"2025 春节 adjusted Sunday first", "2025-01-24", 1, "2025-01-26"},
		{"2025 春节 into adjusted Saturday", "2025-02-05", 3, "2025-02-08"},
		{"2026 元旦 adjusted Sunday", "2025-12-31", 1, "2026-01-04"},
		{"2026 春节 adjusted Saturday before", "2026-02-13", 1, "2026-02-14"},
		{"2026 春节", "2026-02-13", 2, "2026-02-24"},
		{"2026 春节 adjusted Saturday after", "2026-02-24", 4, "2026-02-28"},
		{"2026 劳动节", "2026-04-30", 1, "2026-05-06"},
		{"2026 劳动节 adjusted Saturday", "2026-04-30", 4, "2026-05-09"},
		{"2026 国庆 adjusted Sunday before", "2026-09-18", 1, "2026-09-20"},
		{"2026 国庆 adjusted Saturday after", "2026-09-30", 3, "2026-10-10"},
		{"2026 中秋 and 国庆", "2026-09-24", 10, "2026-10-15"},
		{"uncovered year: 春节 unknown", "2030-01-31", 2, "2030-02-04"},
		{"uncovered year: 元旦 off", "2026-12-30", 5, "2027-01-07"},
		{"uncovered year: 劳动节 two days on a weekend, 补假", "2027-04-30", 1, "2027-05-05"},
		{"uncovered year: 国庆节 three days, two on a weekend, 补假", "2027-09-30", 1, "2027-10-06"},
		{"negative", "2025-02-05", -1, "2025-01-27"},
		{"negative over adjusted Sunday", "2025-01-27", -1, "2025-01-26"},
		{"negative from a holiday", "2026-10-05", -2, "2026-09-29"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.AddWorkingDays(at(t, tt.from), tt.n)
			want := at(t, tt.due).AddDate(0, 0, 1).Add(-time.Nanosecond)
			if !got.Equal(want) {
				t.Errorf("AddWorkingDays(%s, %d) = %v, want %v", tt.from, tt.n, got, want)
			}
			if got.Location() != calendar.Location() {
				t.Errorf("location = %v, want %v", got.Location(), calendar.Location())
			}
		})
	}
}

func TestNextWorkingDay(t *testing.T) {
	c := calendar.Default()
	tests := []struct{ from, want string }{
		{"2026-03-06 10:00", "2026-03-09"},
		{"2026-03-09 00:00", "2026-03-10"},
		{"2026-01-01", "2026-01-04"},
		{"2026-02-13 18:00", "2026-02-14"},
		{"2026-02-14", "2026-02-24"},
		{"2025-09-30", "2025-10-09"},
	}
	for _, tt := range tests {
		if got, want := c.NextWorkingDay(at(t, tt.from)), at(t, tt.want); !got.Equal(want) {
			t.Errorf("NextWorkingDay(%s) = %v, want %v", tt.from, got, want)
		}
	}
}

func TestWorkingDaysBetween(t *testing.T) {
	c := calendar.Default()
	tests := []struct {
		a, b string
		want int
	}{
		{"2026-03-09", "2026-03-09", 0},
		{"2026-03-06", "2026-03-09", 1},
		{"2026-03-09", "2026-03-06", -1},
		{"2025-01-24", "2025-02-07", 5},
		{"2024-12-31 23:59", "2025-12-31", 248},
		{"2025-12-31", "2026-12-31 08:00", 248},
		{"2026-12-31", "2027-12-31", 255}, // not covered: less 元旦 and 国庆节 on a Friday, 补假 05-03, 05-04, 10-04, 10-05
		{"2023-12-31", "2024-12-31", 257}, // not covered: 262 weekdays less 元旦, 劳动节, 国庆节 1–3 October
		{"2026-09-30", "2026-10-10", 3},
	}
	for _, tt := range tests {
		if got := c.WorkingDaysBetween(at(t, tt.a), at(t, tt.b)); got != tt.want {
			t.Errorf("WorkingDaysBetween(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestInverse checks WorkingDaysBetween against AddWorkingDays and against
// counting day by day, for every start day around the embedded years and,
// on a calendar without arrangements, around revisions of the law.
func TestInverse(t *testing.T) {
	checkInverse(t, calendar.Default(), at(t, "2024-12-01 12:00"), at(t, "2027-01-31"))
	checkInverse(t, new(calendar.Calendar), at(t, "1999-04-01"), at(t, "2000-05-31"))
	checkInverse(t, new(calendar.Calendar), at(t, "2024-04-01"), at(t, "2025-05-31"))
}

func checkInverse(t *testing.T, c *calendar.Calendar, start, end time.Time) {
	t.Helper()
	for day := start; day.Before(end); day = day.AddDate(0, 0, 1) {
		naive := 0
		for n := 1; n <= 40; n++ {
			due := c.AddWorkingDays(day, n)
			if got := c.WorkingDaysBetween(day, due); got != n {
				t.Fatalf("WorkingDaysBetween(%v, AddWorkingDays(%v, %d)) = %d, want %d", day, day, n, got, n)
			}
			if got := c.WorkingDaysBetween(due, day); got != -n {
				t.Fatalf("WorkingDaysBetween(%v, %v) = %d, want %d", due, day, got, -n)
			}
			if !c.IsWorkingDay(due) {
				t.Fatalf("AddWorkingDays(%v, %d) = %v, not a working day", day, n, due)
			}
		}
		for i := 1; i <= 40; i++ {
			b := day.AddDate(0, 0, i)
			if c.IsWorkingDay(b) {
				naive++
			}
			if got := c.WorkingDaysBetween(day, b); got != naive {
				t.Fatalf("WorkingDaysBetween(%v, %v) = %d, counted %d", day, b, got, naive)
			}
		}
	}
}

func TestWithAddsYear(t *testing.T) {
	// Test data shaped like an arrangement, not the official 2027 one.
	const file2027 = `
# 2027 示例
2027-01-01..2027-01-03 holiday 元旦
2027-02-05..2027-02-13 holiday 春节
2027-02-20 workday 春节调休
2027-04-03..2027-04-05 holiday 清明节
2027-05-01..2027-05-05 holiday 劳动节
2027-06-09..2027-06-11 holiday 端午节
2027-09-15 holiday 中秋节
2027-10-01..2027-10-07 holiday 国庆节
`
	rules, err := calendar.Parse(strings.NewReader(file2027))
	if err != nil {
		t.Fatal(err)
	}
	base := calendar.Default()
	c, err := base.With(rules)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.Years(), []int{2025, 2026, 2027}; !slices.Equal(got, want) {
		t.Errorf("Years() = %v, want %v", got, want)
	}
	if base.Covers(2027) {
		t.Error("With changed the calendar it was called on")
	}
	if kind, name := c.DayKind(at(t, "2027-02-20")); kind != calendar.AdjustedWorkday || name != "春节调休" {
		t.Errorf("DayKind(2027-02-20) = %v %q, want 调休上班 春节调休", kind, name)
	}
	if kind, _ := c.DayKind(at(t, "2026-02-14")); kind != calendar.AdjustedWorkday {
		t.Errorf("DayKind(2026-02-14) = %v, want 调休上班: embedded years lost", kind)
	}
	// 2027-02-04 is a Thursday; 02-05..02-13 are off, 02-15 is Monday.
	if got, want := c.AddWorkingDays(at(t, "2027-02-04"), 1), at(t, "2027-02-16").Add(-time.Nanosecond); !got.Equal(want) {
		t.Errorf("AddWorkingDays(2027-02-04, 1) = %v, want %v", got, want)
	}
	if got := len(c.Rules()); got != len(base.Rules())+8 {
		t.Errorf("len(Rules()) = %d, want %d", got, len(base.Rules())+8)
	}

	// The same file again, and a built-in rule repeated word for word,
	// add nothing; a rule arranging one of those days otherwise is
	// refused, naming the rule it conflicts with and saying whether that
	// is built in.
	builtIn, err := calendar.Parse(strings.NewReader("2026-10-01..2026-10-07 holiday 国庆节\n"))
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.With(append(rules, builtIn...))
	if err != nil {
		t.Fatalf("With(same rules, a built-in rule) error = %v", err)
	}
	if !slices.Equal(again.Rules(), c.Rules()) {
		t.Errorf("With(same rules, a built-in rule) changed the rules:\n%v\nwant\n%v", again.Rules(), c.Rules())
	}
	for text, want := range map[string]string{
		"2027-01-01..2027-01-02 holiday 元旦\n":   "第1行：2027-01-01 已在规则“2027-01-01..2027-01-03 holiday 元旦”中安排",
		"\n2026-10-01..2026-10-07 holiday 国庆\n": "第2行：2026-10-01 与内置的放假安排“2026-10-01..2026-10-07 holiday 国庆节”冲突",
	} {
		other, err := calendar.Parse(strings.NewReader(text))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.With(other); errs.As(err) == nil || errs.As(err).Message != want {
			t.Errorf("With(%q) error = %v, want %s", text, err, want)
		}
	}
}

// TestParseRepeatedRule: a file that repeats one of its rules word for
// word is read, the rule taken once; one arranging a day of it otherwise
// is refused.
func TestParseRepeatedRule(t *testing.T) {
	rules, err := calendar.Parse(strings.NewReader("2027-01-01 holiday 元旦\n2027-01-01 holiday 元旦\n"))
	if err != nil {
		t.Fatalf("Parse of a repeated rule: %v", err)
	}
	c, err := calendar.Default().With(rules)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(c.Rules()), len(calendar.Default().Rules())+1; got != want {
		t.Errorf("len(Rules()) = %d, want %d", got, want)
	}
}

func TestZeroCalendar(t *testing.T) {
	var c calendar.Calendar
	// 261 weekdays less 元旦, 劳动节 (1 May), 国庆节 (1 and 2 October) and
	// the 补假 of 2 May and 3 October, Saturdays: 4 May and 5 October.
	if got := c.WorkingDaysBetween(at(t, "2025-12-31"), at(t, "2026-12-31")); got != 255 {
		t.Errorf("zero Calendar: WorkingDaysBetween over 2026 = %d, want 255", got)
	}
	if c.Covers(2026) || len(c.Years()) != 0 {
		t.Error("zero Calendar covers years")
	}
}

func TestConcurrentUse(t *testing.T) {
	c := calendar.Default()
	done := make(chan int)
	for i := range 8 {
		go func() {
			done <- c.WorkingDaysBetween(at(t, "2025-01-01"), c.AddWorkingDays(at(t, "2025-01-01"), 100+i)) - i
		}()
	}
	for range 8 {
		if got := <-done; got != 100 {
			t.Errorf("got %d, want 100", got)
		}
	}
}

func BenchmarkAddWorkingDays(b *testing.B) {
	c := calendar.Default()
	for _, n := range []int{1, 20, 250} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			t := at(b, "2026-09-18 10:00")
			for b.Loop() {
				c.AddWorkingDays(t, n)
			}
		})
	}
}

func ExampleCalendar_AddWorkingDays() {
	c := calendar.Default()
	received := time.Date(2025, 1, 24, 15, 0, 0, 0, calendar.Location()) // a Friday before 春节
	due := c.AddWorkingDays(received, 5)
	fmt.Println(calendar.DateOf(due), due.Format("15:04:05"))
	fmt.Println(c.WorkingDaysBetween(received, due))
	// Output:
	// 2025-02-07 23:59:59
	// 5
}

func TestStatutoryHolidays(t *testing.T) {
	for _, tt := range []struct {
		year int
		want []string
	}{
		{1949, nil},
		{1999, []string{"1999-01-01 holiday 元旦", "1999-05-01 holiday 劳动节", "1999-10-01..1999-10-03 holiday 国庆节"}},
		{2000, []string{"2000-01-01 holiday 元旦", "2000-05-01..2000-05-03 holiday 劳动节", "2000-10-01..2000-10-03 holiday 国庆节"}},
		{2024, []string{"2024-01-01 holiday 元旦", "2024-05-01 holiday 劳动节", "2024-10-01..2024-10-03 holiday 国庆节"}},
		{2027, []string{"2027-01-01 holiday 元旦", "2027-05-01..2027-05-02 holiday 劳动节", "2027-10-01..2027-10-03 holiday 国庆节"}},
	} {
		var got []string
		for _, r := range calendar.StatutoryHolidays(tt.year) {
			got = append(got, r.String())
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("StatutoryHolidays(%d) = %q, want %q", tt.year, got, tt.want)
		}
	}
}

// TestStatutoryInArrangements checks the fallback against the shipped
// arrangements: each of them gives every statutory holiday of its year off,
// under the name the fallback uses.
func TestStatutoryInArrangements(t *testing.T) {
	c := calendar.Default()
	for _, year := range c.Years() {
		for _, r := range calendar.StatutoryHolidays(year) {
			for d := r.From.Start(); !d.After(r.To.Start()); d = d.AddDate(0, 0, 1) {
				if kind, name := c.DayKind(d); kind != calendar.Holiday || !strings.Contains(name, r.Name) {
					t.Errorf("%s: DayKind = %v %q, want 节假日 %s", calendar.DateOf(d), kind, name, r.Name)
				}
			}
		}
	}
}
