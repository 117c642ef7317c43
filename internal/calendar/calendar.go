// Package calendar knows which days are working days in mainland China, and
// computes deadlines counted in working days (工作日).
//
// Saturdays and Sundays are rest days, the public holidays that the State
// Council (国务院办公厅) announces each year are rest days, and the adjusted
// working days of the same announcement (调休上班, always a Saturday or
// Sunday) are working days. [Default] ships the official arrangements for
// 2025 and 2026; operators add later years with [Parse] and [Calendar.With].
//
// # Time zone
//
// Every time.Time is read as a date in Beijing time. The package uses a fixed
// UTC+8 zone named "CST" (see [Location]) rather than loading Asia/Shanghai:
// China has had no daylight saving time since 1991, so the dates are the
// same, and the binary does not depend on tzdata being installed.
//
// # Deadlines
//
// [Calendar.AddWorkingDays] counts from the day after the day of t: a request
// received on a Friday with one working day to answer is due on Monday. The
// deadline is the last instant of the due day, 23:59:59.999999999 Beijing
// time, so an action at time a is on time when !a.After(deadline), and
// [DateOf](deadline) is the due date to show people. With n working days,
// WorkingDaysBetween(t, AddWorkingDays(t, n)) == n for every n >= 1.
//
// # File format
//
// An arrangement is UTF-8 text with one rule per line. A rule is a date or an
// inclusive date range, a type, and a name:
//
//	# 国办发明电〔2025〕7号
//	2026-02-15..2026-02-23 holiday 春节
//	2026-02-14 workday 春节调休
//
// Dates are YYYY-MM-DD. The type is "holiday" (days off; a range may include
// weekend days) or "workday" (调休上班; every date must be a Saturday or
// Sunday, and none a holiday the law fixes, see [StatutoryHolidays]). The
// name is the rest of the line. "#" starts a comment that runs to the end
// of the line; blank lines are ignored. A range spans at most 31 days, and
// no date may appear in two rules unless they are identical (same dates,
// type and name; such a rule is taken once, so a file may repeat an
// embedded arrangement). See data/2026.txt for a full year.
//
// # Years covered
//
// A year counts as covered when its holiday rules name each of the seven
// holidays that the State Council's notice arranges (see [NoticeHolidays]:
// 元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节), each in a rule that ends
// in the year, the name holding the holiday's without 节 (清明 for 清明节,
// 劳动 for 劳动节; one rule may name two, as 国庆节、中秋节). A file holding
// only part of a notice leaves the year not covered, and [Calendar.Missing]
// says which holidays it lacks. The 元旦 holiday of a year may start in the
// December before, and its adjusted working day may fall there too, without
// counting for that earlier year.
//
// The holidays that 《全国年节及纪念日放假办法》 fixes in the solar calendar
// (元旦, 劳动节, 国庆节; see [StatutoryHolidays]) are days off in every year,
// covered or not, unless a rule arranges the day: an arrangement that leaves
// out 元旦 and 劳动节 keeps them off. When one of those days falls on a
// Saturday or Sunday, the law (第六条, since 1999) gives it back on a
// weekday after the holiday (补假, see [StatutoryMakeup]); a calendar takes
// those days off too unless its rules of the year name the holiday, whose
// arrangement then decides. For years not covered the calendar knows only
// those, the weekends and the rules it has: not the dates of the missing
// holidays, the other days off of their notice, or their adjusted working
// days, so callers should check [Calendar.Covers] and warn.
package calendar

import (
	"bytes"
	"cmp"
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hutong-gov/hutong/internal/errs"
)

//go:embed data/*.txt
var dataFS embed.FS

// Calendar is a set of arrangements. It is immutable once built and safe for
// concurrent use. The zero Calendar covers no year: it knows the weekends and
// the statutory holidays fixed in the solar calendar only.
type Calendar struct {
	rules   []Rule        // in the order they were added
	builtIn int           // the first builtIn rules are the embedded ones
	days    map[int]entry // day number → arrangement of that day
	marks   []mark        // the same days, sorted by day number
	years   []int         // covered years, ascending
	named   map[int]uint8 // year → bit i set when a holiday rule ending in it names notice[i]
}

// notice are the seven holidays of 《全国年节及纪念日放假办法》 that the
// State Council's yearly notice arranges, in the order of the law, with
// what a rule's name must contain to arrange each: the name without 节, as
// notices and people write 清明 or 端午 alone. The law fixes three in the
// solar calendar (元旦, 劳动节, 国庆节, see [StatutoryHolidays]); the dates of
// the others, and the adjusted working days of all, only the notice gives.
var notice = [...]struct{ name, stem string }{
	{"元旦", "元旦"}, {"春节", "春节"}, {"清明节", "清明"}, {"劳动节", "劳动"},
	{"端午节", "端午"}, {"中秋节", "中秋"}, {"国庆节", "国庆"},
}

// allNamed has a bit for each of notice.
const allNamed = 1<<len(notice) - 1

// noticeIndex returns the index in notice of the holiday called name, or -1.
func noticeIndex(name string) int {
	for i, h := range notice {
		if h.name == name {
			return i
		}
	}
	return -1
}

// NoticeHolidays returns the names of the holidays a year's rules must
// name for the calendar to cover it: the seven of the State Council's
// yearly notice, 元旦, 春节, 清明节, 劳动节, 端午节, 中秋节 and 国庆节.
func NoticeHolidays() []string {
	names := make([]string, len(notice))
	for i, h := range notice {
		names[i] = h.name
	}
	return names
}

type entry struct {
	kind Kind
	rule int // index into rules
}

type mark struct {
	day  int
	kind Kind
}

// defaultCalendar is built once from the embedded data, which never changes.
var defaultCalendar = sync.OnceValue(func() *Calendar {
	var rules []Rule
	files, err := fs.Glob(dataFS, "data/*.txt")
	if err != nil {
		panic(err)
	}
	for _, name := range files { // Glob sorts, so years come in order
		data, err := dataFS.ReadFile(name)
		if err != nil {
			panic(err)
		}
		rs, err := Parse(bytes.NewReader(data))
		if err != nil {
			panic(fmt.Sprintf("calendar: embedded %s: %v", name, err))
		}
		rules = append(rules, rs...)
	}
	c, err := new(Calendar).With(rules)
	if err != nil {
		panic(fmt.Sprintf("calendar: embedded data: %v", err))
	}
	c.builtIn = len(c.rules)
	return c
})

// Default returns the calendar with the official arrangements embedded in
// the binary (2025 and 2026). All callers share one Calendar.
func Default() *Calendar { return defaultCalendar() }

// With returns a new calendar that has the rules of c and rules. It leaves c
// unchanged. A rule identical to one that c or an earlier rule already has
// (the same dates, type and name, as a file repeating an official
// arrangement has) is taken once. It fails with an errs.Invalid error if a
// rule is invalid or names a date that c or an earlier rule arranges
// otherwise, saying when that rule is built in.
func (c *Calendar) With(rules []Rule) (*Calendar, error) {
	for _, r := range rules {
		if err := r.validate(); err != nil {
			return nil, err
		}
	}
	n := &Calendar{
		rules:   make([]Rule, 0, len(c.rules)+len(rules)),
		builtIn: c.builtIn,
		days:    make(map[int]entry, len(c.days)+len(rules)*3),
		named:   make(map[int]uint8),
	}
	for _, r := range slices.Concat(c.rules, rules) {
		if prev, ok := n.days[r.From.num()]; ok && n.rules[prev.rule].same(r) {
			continue
		}
		i := len(n.rules)
		n.rules = append(n.rules, r)
		for d := r.From.num(); d <= r.To.num(); d++ {
			if prev, ok := n.days[d]; ok {
				if prev.rule < n.builtIn {
					return nil, errs.E(errs.Invalid, "calendar_overlap", fmt.Sprintf("%s%s 与内置的放假安排“%s”冲突",
						r.where(), fromNum(d), n.rules[prev.rule]))
				}
				return nil, errs.E(errs.Invalid, "calendar_overlap", fmt.Sprintf("%s%s 已在规则“%s”中安排",
					r.where(), fromNum(d), n.rules[prev.rule]))
			}
			n.days[d] = entry{kind: r.Kind, rule: i}
			n.marks = append(n.marks, mark{day: d, kind: r.Kind})
		}
		if r.Kind == Holiday {
			for i, h := range notice {
				if strings.Contains(r.Name, h.stem) {
					n.named[r.To.Year] |= 1 << i
				}
			}
		}
	}
	slices.SortFunc(n.marks, func(a, b mark) int { return cmp.Compare(a.day, b.day) })
	for y, named := range n.named {
		if named == allNamed {
			n.years = append(n.years, y)
		}
	}
	slices.Sort(n.years)
	return n, nil
}

// Rules returns the rules of c sorted by date.
func (c *Calendar) Rules() []Rule {
	rules := slices.Clone(c.rules)
	slices.SortStableFunc(rules, func(a, b Rule) int { return cmp.Compare(a.From.num(), b.From.num()) })
	return rules
}

// Years returns the years that c has arrangements for, ascending.
func (c *Calendar) Years() []int { return slices.Clone(c.years) }

// Covers reports whether c has the arrangement for year: holiday rules
// ending in it that name each of the seven [NoticeHolidays]. For other
// years only weekends, [StatutoryHolidays] with their make-up days
// ([StatutoryMakeup]) and the rules c has are known, and results may be
// wrong around the missing holidays and their adjusted working days.
func (c *Calendar) Covers(year int) bool {
	_, ok := slices.BinarySearch(c.years, year)
	return ok
}

// Missing returns the names of [NoticeHolidays] that no holiday rule of c
// ending in year names, in the order of the notice; nil when c covers year.
func (c *Calendar) Missing(year int) []string {
	var missing []string
	for i, h := range notice {
		if c.named[year]&(1<<i) == 0 {
			missing = append(missing, h.name)
		}
	}
	return missing
}

// CoversSpan reports whether c has the arrangements of every year from
// the year of from to that of to, in Beijing time.
func (c *Calendar) CoversSpan(from, to time.Time) bool {
	for y := DateOf(from).Year; y <= DateOf(to).Year; y++ {
		if !c.Covers(y) {
			return false
		}
	}
	return true
}

// Gaps returns the years deadlines counted at now may reach whose
// arrangements c does not have: the current year, and in December the
// next.
func (c *Calendar) Gaps(now time.Time) []int {
	today := DateOf(now)
	var gaps []int
	if !c.Covers(today.Year) {
		gaps = append(gaps, today.Year)
	}
	if today.Month == time.December && !c.Covers(today.Year+1) {
		gaps = append(gaps, today.Year+1)
	}
	return gaps
}

// DayKind returns the kind of t's day in Beijing time and, for days of an
// arrangement, the name of the rule, such as "春节" or "春节调休". A day of
// [StatutoryHolidays] no rule arranges is Holiday, with the name of the
// holiday.
func (c *Calendar) DayKind(t time.Time) (Kind, string) {
	d := DateOf(t).num()
	if e, ok := c.days[d]; ok {
		return e.kind, c.rules[e.rule].Name
	}
	if name := c.lawOff(d); name != "" {
		return Holiday, name
	}
	if isWeekend(d) {
		return Weekend, ""
	}
	return Workday, ""
}

// IsWorkingDay reports whether t's day in Beijing time is a working day.
func (c *Calendar) IsWorkingDay(t time.Time) bool { return c.working(DateOf(t).num()) }

func (c *Calendar) working(d int) bool {
	if e, ok := c.days[d]; ok {
		return e.kind == AdjustedWorkday
	}
	return !isWeekend(d) && c.lawOff(d) == ""
}

// AddWorkingDays returns the deadline n working days after t: the last
// instant (23:59:59.999999999 Beijing time) of the n-th working day after
// t's day. For n == 0 it is the end of t's day if that is a working day,
// else the end of the next working day. For n < 0 it is the end of the
// -n-th working day before t's day. It takes time proportional to n.
func (c *Calendar) AddWorkingDays(t time.Time, n int) time.Time {
	d := DateOf(t).num()
	switch {
	case n == 0:
		for !c.working(d) {
			d++
		}
	case n > 0:
		for n > 0 {
			d++
			if c.working(d) {
				n--
			}
		}
	default:
		for n < 0 {
			d--
			if c.working(d) {
				n++
			}
		}
	}
	return fromNum(d + 1).Start().Add(-time.Nanosecond)
}

// WorkingDaysBetween returns the number of working days after a's day up to
// and including b's day, in Beijing time. If b's day is before a's day it
// returns minus the number of working days after b's day up to and
// including a's day, so WorkingDaysBetween(a, b) == -WorkingDaysBetween(b, a).
func (c *Calendar) WorkingDaysBetween(a, b time.Time) int {
	x, y := DateOf(a).num(), DateOf(b).num()
	if y < x {
		return -c.countWorking(y, x)
	}
	return c.countWorking(x, y)
}

// countWorking counts the working days in the day numbers (x, y].
func (c *Calendar) countWorking(x, y int) int {
	n := weekdaysIn(x+1, y+1)
	i, _ := slices.BinarySearchFunc(c.marks, x+1, func(m mark, d int) int { return cmp.Compare(m.day, d) })
	for ; i < len(c.marks) && c.marks[i].day <= y; i++ {
		switch m := c.marks[i]; {
		case m.kind == AdjustedWorkday:
			n++
		case !isWeekend(m.day): // a holiday on a weekend changes nothing
			n--
		}
	}
	for year := fromNum(x + 1).Year; year <= fromNum(y).Year; year++ {
		for _, r := range lawRules(year) {
			for d := max(r.From.num(), x+1); d <= min(r.To.num(), y); d++ {
				if _, arranged := c.days[d]; !arranged && !isWeekend(d) && c.lawOff(d) != "" {
					n--
				}
			}
		}
	}
	return n
}

// NextWorkingDay returns the start (00:00 Beijing time) of the first working
// day after t's day.
func (c *Calendar) NextWorkingDay(t time.Time) time.Time {
	d := DateOf(t).num() + 1
	for !c.working(d) {
		d++
	}
	return fromNum(d).Start()
}
