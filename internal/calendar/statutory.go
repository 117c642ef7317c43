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
//
// makeup is set for the versions whose 第六条 reads 「全体公民放假的假日，如果
// 适逢星期六、星期日，应当在工作日补假」 (since 1999); the 1949 text, of a
// six-day week, is not applied: no make-up days before 1999-09-18.
var statutoryVersions = []struct {
	since  Date
	makeup bool
	days   []statutoryDay
}{
	{Date{1949, time.December, 23}, false, []statutoryDay{ // 政务院, 1949
		{time.January, 1, 1, "元旦"}, {time.May, 1, 1, "劳动节"}, {time.October, 1, 2, "国庆节"}}},
	{Date{1999, time.September, 18}, true, []statutoryDay{ // 国务院令第270号
		{time.January, 1, 1, "元旦"}, {time.May, 1, 3, "劳动节"}, {time.October, 1, 3, "国庆节"}}},
	{Date{2008, time.January, 1}, true, []statutoryDay{ // 国务院令第513号
		{time.January, 1, 1, "元旦"}, {time.May, 1, 1, "劳动节"}, {time.October, 1, 3, "国庆节"}}},
	{Date{2025, time.January, 1}, true, []statutoryDay{ // 国务院令第795号
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

// StatutoryMakeup returns the make-up days off (补假) of year for the
// holidays of [StatutoryHolidays]: 《全国年节及纪念日放假办法》 第六条 (since
// 1999) gives a holiday of all citizens that falls on a Saturday or Sunday
// back on a working day. The law does not say which; as the yearly
// notices do, each such day is given back on the first weekday after the
// holiday that is not itself one of StatutoryHolidays or an earlier
// make-up day. One rule for each run of days, named after the holiday
// with 补假 (as 劳动节补假), sorted by date, Kind Holiday. A [Calendar]
// takes them off only for holidays the rules of their year do not name:
// a loaded notice arranges the holiday, make-up days included, itself.
func StatutoryMakeup(year int) []Rule {
	var rules []Rule
	for _, r := range lawRules(year) {
		if r.makeup {
			rules = append(rules, r.Rule)
		}
	}
	return rules
}

// lawRule is a rule of [StatutoryHolidays] or [StatutoryMakeup], with the
// index in notice of its holiday.
type lawRule struct {
	Rule
	of     int
	makeup bool
}

// lawRules returns the rules of StatutoryHolidays(year) each followed by
// those of its make-up days.
func lawRules(year int) []lawRule {
	fixed := StatutoryHolidays(year)
	off := make(map[int]bool)
	for _, r := range fixed {
		for d := r.From.num(); d <= r.To.num(); d++ {
			off[d] = true
		}
	}
	var rules []lawRule
	for _, r := range fixed {
		of := noticeIndex(r.Name)
		rules = append(rules, lawRule{Rule: r, of: of})
		if !statutoryVersions[statutoryVersion(r.From.num())].makeup {
			continue
		}
		owed := 0
		for d := r.From.num(); d <= r.To.num(); d++ {
			if isWeekend(d) {
				owed++
			}
		}
		for d := r.To.num() + 1; owed > 0; d++ {
			if isWeekend(d) || off[d] {
				continue
			}
			off[d] = true
			owed--
			if n := len(rules) - 1; rules[n].makeup && rules[n].To.num() == d-1 {
				rules[n].To = fromNum(d)
			} else {
				rules = append(rules, lawRule{Rule: Rule{From: fromNum(d), To: fromNum(d), Kind: Holiday, Name: r.Name + "补假"}, of: of, makeup: true})
			}
		}
	}
	return rules
}

// lawDay is a day off by the law: a holiday it fixes, or a make-up day.
type lawDay struct {
	name   string
	of     int8 // index in notice of the holiday
	makeup bool
}

// lawDayOf returns the day off by the law on day number d, if d is one.
// Counting working days asks it for every weekday no rule arranges: the
// days of the years deadlines fall in are looked up (lawDays).
func lawDayOf(d int) (lawDay, bool) {
	if d >= lawFrom && d < lawTo {
		ld, ok := lawDays[d]
		return ld, ok
	}
	return computeLawDay(d)
}

func computeLawDay(d int) (lawDay, bool) {
	for _, r := range lawRules(fromNum(d).Year) {
		if r.From.num() <= d && d <= r.To.num() {
			return lawDay{name: r.Name, of: int8(r.of), makeup: r.makeup}, true
		}
	}
	return lawDay{}, false
}

// lawDays are the days off by the law of the years 1950 to 2199 by day
// number, lawFrom to lawTo.
var (
	lawFrom = Date{1950, time.January, 1}.num()
	lawTo   = Date{2200, time.January, 1}.num()
	lawDays = func() map[int]lawDay {
		m := make(map[int]lawDay)
		for y := 1950; y < 2200; y++ {
			for _, r := range lawRules(y) {
				for d := r.From.num(); d <= r.To.num(); d++ {
					m[d] = lawDay{name: r.Name, of: int8(r.of), makeup: r.makeup}
				}
			}
		}
		return m
	}()
)

// lawOff returns the name of the day off by the law on day number d, which
// no rule of c arranges, or "" when d is none: a holiday the law fixes, or a
// make-up day of one that no holiday rule of c ending in its year names.
func (c *Calendar) lawOff(d int) string {
	ld, ok := lawDayOf(d)
	if !ok || ld.makeup && c.named[fromNum(d).Year]&(1<<ld.of) != 0 {
		return ""
	}
	return ld.name
}

// Unarranged returns the days of year off by the law that c takes off on
// days no rule of c arranges, one rule for each run of such days: the
// holidays the law fixes in the solar calendar (StatutoryHolidays), which
// c takes off in any case, and the make-up days (StatutoryMakeup) of those
// its rules of the year do not name. A list of its rules leaves them out
// (all of them in a year without rules; 元旦 left out of a file's year).
func (c *Calendar) Unarranged(year int) []Rule {
	arranged := make(map[Date]bool)
	for _, r := range c.Rules() {
		for i := range r.Days() {
			arranged[DateOf(r.From.Start().AddDate(0, 0, i))] = true
		}
	}
	var runs []Rule
	for _, r := range lawRules(year) {
		open := false
		for i := range r.Days() {
			d := DateOf(r.From.Start().AddDate(0, 0, i))
			switch {
			case arranged[d] || c.lawOff(d.num()) == "":
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
