package calendar

import "time"

// statutoryDay is a holiday that 《全国年节及纪念日放假办法》 fixes in the
// solar calendar: the days From to To of Month.
type statutoryDay struct {
	Month    time.Month
	From, To int
	Name     string
}

// statutoryVersions are the versions of 《全国年节及纪念日放假办法》, each with
// the date it came into force and the holidays it fixes in the solar
// calendar. The holidays of the lunar calendar (春节, 端午节, 中秋节) and 清明节,
// whose date follows the solar term, are not listed: their dates, like the
// adjusted working days (调休), come only from the yearly arrangements.
var statutoryVersions = []struct {
	since Date
	days  []statutoryDay
}{
	{Date{1949, time.December, 23}, []statutoryDay{ // 政务院, 1949
		{time.January, 1, 1, "元旦"}, {time.May, 1, 1, "劳动节"}, {time.October, 1, 2, "国庆节"}}},
	{Date{1999, time.September, 18}, []statutoryDay{ // 国务院令第270号
		{time.January, 1, 1, "元旦"}, {time.May, 1, 3, "劳动节"}, {time.October, 1, 3, "国庆节"}}},
	{Date{2008, time.January, 1}, []statutoryDay{ // 国务院令第513号
		{time.January, 1, 1, "元旦"}, {time.May, 1, 1, "劳动节"}, {time.October, 1, 3, "国庆节"}}},
	{Date{2025, time.January, 1}, []statutoryDay{ // 国务院令第795号
		{time.January, 1, 1, "元旦"}, {time.May, 1, 2, "劳动节"}, {time.October, 1, 3, "国庆节"}}},
}

// statutorySince holds the day numbers of statutoryVersions' dates, which
// working days look up for every day they count.
var statutorySince = func() []int {
	nums := make([]int, len(statutoryVersions))
	for i, v := range statutoryVersions {
		nums[i] = v.since.num()
	}
	return nums
}()

// statutoryVersion returns the index of the version of the law in force on
// day number d, or -1 before the first.
func statutoryVersion(d int) int {
	for i := len(statutorySince) - 1; i >= 0; i-- {
		if statutorySince[i] <= d {
			return i
		}
	}
	return -1
}

// StatutoryHolidays returns the holidays of year that 《全国年节及纪念日放假办法》,
// as in force on each of their days, fixes in the solar calendar: 元旦 on
// 1 January, 劳动节 from 1 May and 国庆节 from 1 October (since 2025: one,
// two and three days). These are the days a [Calendar] takes off in a year
// it does not cover; the yearly arrangements include them and add the
// holidays of the lunar calendar, 清明节 and the adjusted working days.
// The rules are sorted by date and have Kind Holiday.
func StatutoryHolidays(year int) []Rule {
	var rules []Rule
	for i, v := range statutoryVersions {
		for _, s := range v.days {
			from := Date{year, s.Month, s.From}
			if statutoryVersion(from.num()) == i {
				rules = append(rules, Rule{From: from, To: Date{year, s.Month, s.To}, Kind: Holiday, Name: s.Name})
			}
		}
	}
	return rules
}

// statutoryName returns the name of the holiday that the law fixes on day
// number d, or "" if d is not one. Counting working days asks it for every
// weekday no rule arranges: the days of the years deadlines fall in are
// looked up (statutoryDays).
func statutoryName(d int) string {
	if d >= statutoryFrom && d < statutoryTo {
		return statutoryDays[d]
	}
	return computeStatutoryName(d)
}

// statutoryDays are the statutory holidays of the years 1950 to 2199 by day
// number, statutoryFrom to statutoryTo.
var (
	statutoryFrom = Date{1950, time.January, 1}.num()
	statutoryTo   = Date{2200, time.January, 1}.num()
	statutoryDays = func() map[int]string {
		m := make(map[int]string)
		for y := 1950; y < 2200; y++ {
			for _, r := range StatutoryHolidays(y) {
				for d := r.From.num(); d <= r.To.num(); d++ {
					m[d] = r.Name
				}
			}
		}
		return m
	}()
)

func computeStatutoryName(d int) string {
	i := statutoryVersion(d)
	if i < 0 {
		return ""
	}
	date := fromNum(d)
	for _, s := range statutoryVersions[i].days {
		if date.Month == s.Month && date.Day >= s.From && date.Day <= s.To {
			return s.Name
		}
	}
	return ""
}

// Unarranged returns the holidays of year that the law fixes in the solar
// calendar (StatutoryHolidays) on the days no rule of c arranges, one rule
// for each run of such days: days c takes off in any case, which a list of
// its rules leaves out (all of them in a year without rules; 元旦 left out
// of a file's year).
func (c *Calendar) Unarranged(year int) []Rule {
	arranged := make(map[Date]bool)
	for _, r := range c.Rules() {
		for i := range r.Days() {
			arranged[DateOf(r.From.Start().AddDate(0, 0, i))] = true
		}
	}
	var runs []Rule
	for _, r := range StatutoryHolidays(year) {
		open := false
		for i := range r.Days() {
			d := DateOf(r.From.Start().AddDate(0, 0, i))
			switch {
			case arranged[d]:
				open = false
			case open:
				runs[len(runs)-1].To = d
			default:
				runs = append(runs, Rule{From: d, To: d, Kind: Holiday, Name: r.Name})
				open = true
			}
		}
	}
	return runs
}
