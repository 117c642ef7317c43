package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hutong-gov/hutong/internal/calendar"
)

const calendarUsage = `Usage: hutong calendar [-file FILE] YEAR

Print YEAR (1950, when the statutory holidays begin, to 9999) as month
grids in Beijing time, marking the days off (休) and the adjusted working
days (班, 调休上班) of the State Council's holiday arrangement, then list the
arrangement and count the working days.

Built in are the arrangements for %s. -file adds the rules of FILE
first, for example a later year's notice, one date or range per line
(without -file, those of the file HUTONG_CALENDAR names, serve's
-calendar, so that the calendar printed is the one the server runs with):

    # 国务院办公厅关于2026年部分节假日安排的通知
    2026-02-15..2026-02-23 holiday 春节
    2026-02-14 workday 春节调休

For a year without an arrangement only the weekends and the holidays that
《全国年节及纪念日放假办法》 fixes in the solar calendar (元旦 1 January,
劳动节 1–2 May, 国庆节 1–3 October since 2025) are known, with the make-up
days (补假) its 第六条 gives on the weekdays after such a holiday falling on a
Saturday or Sunday; the dates of 春节, 清明节, 端午节 and 中秋节, the other
days off of the notice and the adjusted working days are not, and the
command says so on standard error. A year counts as arranged only when its
rules name each of the seven holidays of the notice: 元旦, 春节, 清明节,
劳动节, 端午节, 中秋节 and 国庆节; for a partial one the command names the
holidays missing. A workday on a day the law fixes off (元旦, 劳动节, 国庆节)
is refused.

Flags:
`

// calendarCell is the width of one day in a month grid: a space, the day of
// the month in two columns, and a mark in two (休, 班 or two spaces).
const calendarCell = 5

// cmdCalendar prints one year of the working-day calendar.
func cmdCalendar(ctx context.Context, env *env, args []string) error {
	fs := flag.NewFlagSet("calendar", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	file := fs.String("file", envOr(env, "HUTONG_CALENDAR", ""),
		"add the holiday rules in `FILE` to the built-in ones (env HUTONG_CALENDAR)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), calendarUsage, calendarYears(calendar.Default().Years(), ", "))
		fs.PrintDefaults()
	}
	if err := parseArgs(env, fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("请指定一个年份，如 hutong calendar 2026（用法见 hutong help calendar）")
	}
	if extra := fs.Args()[1:]; len(extra) > 0 {
		// The flag package stops at the year: flags after it are words.
		words := strings.Join(extra, " ")
		if slices.ContainsFunc(extra, func(w string) bool { return strings.HasPrefix(w, "-") }) {
			return fmt.Errorf("多余的参数 %s：参数须写在年份之前，如 hutong calendar %s %s", words, words, fs.Arg(0))
		}
		return fmt.Errorf("多余的参数 %s：只能指定一个年份", words)
	}
	year, err := calendar.ParseYear(fs.Arg(0))
	if err != nil {
		return err
	}

	cal := calendar.Default()
	if *file != "" {
		from := "HUTONG_CALENDAR"
		if _, ok := env.global["HUTONG_CALENDAR"]; ok {
			from = "--calendar"
		}
		fs.Visit(func(f *flag.Flag) {
			if f.Name == "file" {
				from = "-file"
			}
		})
		if cal, err = calendarWithFile(cal, *file, from); err != nil {
			return err
		}
	}
	switch missing := strings.Join(cal.Missing(year), "、"); {
	case missing == "":
	case len(calendarRules(cal, year)) == 0:
		fmt.Fprintf(env.Stderr, "警告：没有 %d 年的放假安排数据（已有：%s），以下只按周末和《全国年节及纪念日放假办法》固定日期的元旦、劳动节、国庆节（逢周六、周日在其后的工作日补假）计算，%s由通知安排的放假日期和调休上班日均未标出。可用 -file 导入当年的通知。\n",
			year, calendarYears(cal.Years(), "、"), missing)
	default:
		fmt.Fprintf(env.Stderr, "警告：%d 年的放假安排不全，缺少%s（有完整安排的年份：%s），以下按周末、已有的安排和《全国年节及纪念日放假办法》固定日期的元旦、劳动节、国庆节（未安排的逢周六、周日在其后的工作日补假）计算，%s由通知安排的放假日期和调休上班日均未标出。可用 -file 导入当年通知的全部安排。\n",
			year, missing, calendarYears(cal.Years(), "、"), missing)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	_, err = io.WriteString(env.Stdout, calendarYear(cal, year))
	return err
}

// calendarFlag defines -calendar, the file of working-day rules (env
// HUTONG_CALENDAR) that serve runs with and that the commands computing
// deadlines, lateness or staleness (records crosscheck, stale, quality and
// import records) read too, so that they judge as the server does; each
// loads it with loadCalendar.
func calendarFlag(fs *flag.FlagSet, e *env, p *string) {
	fs.StringVar(p, "calendar", envOr(e, "HUTONG_CALENDAR", ""),
		"extra working-day rules `FILE` for later years (env HUTONG_CALENDAR; see hutong help calendar): serve, import records and records crosscheck, stale and quality read the same one")
}

// loadCalendar returns the built-in calendar with the rules of file, that
// of -calendar or HUTONG_CALENDAR, added when it is not empty.
func loadCalendar(file string) (*calendar.Calendar, error) {
	cal := calendar.Default()
	if file == "" {
		return cal, nil
	}
	return calendarWithFile(cal, file, "-calendar 或 HUTONG_CALENDAR")
}

// calendarWithFile returns c with the rules of the named file added, which
// the flag (for messages) named. Each error names the file.
func calendarWithFile(c *calendar.Calendar, name, flag string) (*calendar.Calendar, error) {
	f, err := openInput(name, flag)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rules, err := calendar.Parse(f)
	if err != nil {
		return nil, fmt.Errorf("%s：%w", name, err)
	}
	if c, err = c.With(rules); err != nil {
		return nil, fmt.Errorf("%s：%w", name, err)
	}
	return c, nil
}

// calendarYear renders the grids, the list of rules and the totals of year.
func calendarYear(c *calendar.Calendar, year int) string {
	const gap = "    "
	monthWidth := 7 * calendarCell
	var b strings.Builder
	b.WriteString(strings.TrimRight(calendarPad(fmt.Sprintf("%d年", year), 2*monthWidth+len(gap), true), " ") + "\n\n")
	for m := time.January; m <= time.December; m += 2 {
		left, right := calendarMonth(c, year, m), calendarMonth(c, year, m+1)
		for len(left) < len(right) {
			left = append(left, "")
		}
		for i := range left {
			if i >= len(right) {
				right = append(right, "")
			}
			line := calendarPad(left[i], monthWidth, false) + gap + right[i]
			b.WriteString(strings.TrimRight(line, " ") + "\n")
		}
		b.WriteString("\n")
	}
	b.WriteString("休：放假（法定节假日及调休放假）  班：调休上班\n\n")

	rules := calendarRules(c, year)
	missing := strings.Join(c.Missing(year), "、")
	switch {
	case missing == "":
		fmt.Fprintf(&b, "%d 年放假安排：\n", year)
	case len(rules) == 0:
		fmt.Fprintf(&b, "没有 %d 年的放假安排，按《全国年节及纪念日放假办法》固定日期的法定节日及其补假放假：\n", year)
	default:
		fmt.Fprintf(&b, "%d 年放假安排（不全，缺少%s）：\n", year, missing)
	}
	// The days the law fixes that no rule arranges are off too: list
	// them, as the grid marks and the totals count them.
	statutory := c.Unarranged(year)
	rules = slices.Concat(rules, statutory)
	slices.SortStableFunc(rules, func(a, b calendar.Rule) int { return strings.Compare(a.From.String(), b.From.String()) })
	for _, r := range rules {
		switch r.Kind {
		case calendar.Holiday:
			dates := r.From.String()
			if r.To != r.From {
				dates += " 至 " + r.To.String()
			}
			name := r.Name
			switch {
			case !slices.Contains(statutory, r):
			case strings.HasSuffix(r.Name, "补假"):
				name += "（法定节日逢周末，按《全国年节及纪念日放假办法》第六条补假，未见于放假安排）"
			default:
				name += "（法定节日，未见于放假安排）"
			}
			fmt.Fprintf(&b, "  休  %s  %s，放假 %d 天", calendarPad(dates, 24, false), name, r.Days())
			if in := calendarDaysIn(r, year); in != r.Days() {
				fmt.Fprintf(&b, "，本年 %d 天", in)
			}
			b.WriteString("\n")
		case calendar.AdjustedWorkday:
			for i := range r.Days() {
				d := r.From.Start().AddDate(0, 0, i)
				if d.Year() != year {
					continue
				}
				dates := calendar.DateOf(d).String() + " " + calendarWeekday(d.Weekday())
				fmt.Fprintf(&b, "  班  %s  %s，上班\n", calendarPad(dates, 24, false), r.Name)
			}
		}
	}

	var days, working, holidays, adjusted int
	for d := time.Date(year, 1, 1, 0, 0, 0, 0, calendar.Location()); d.Year() == year; d = d.AddDate(0, 0, 1) {
		days++
		switch kind, _ := c.DayKind(d); kind {
		case calendar.Holiday:
			holidays++
		case calendar.AdjustedWorkday:
			adjusted++
		}
		if c.IsWorkingDay(d) {
			working++
		}
	}
	fmt.Fprintf(&b, "\n%d 年全年 %d 天，工作日 %d 天，休息日 %d 天（其中放假 %d 天，含周末；调休上班 %d 天", year, days, working, days-working, holidays, adjusted)
	if missing != "" {
		fmt.Fprintf(&b, "；缺少%s的放假安排，未计入", missing)
	}
	b.WriteString("）。\n")
	return b.String()
}

// calendarRules returns the rules of c with days in year, by date.
func calendarRules(c *calendar.Calendar, year int) []calendar.Rule {
	var rules []calendar.Rule
	for _, r := range c.Rules() {
		if r.From.Year <= year && r.To.Year >= year {
			rules = append(rules, r)
		}
	}
	return rules
}

// calendarDaysIn returns the number of days of r in year.
func calendarDaysIn(r calendar.Rule, year int) int {
	n := 0
	for i := range r.Days() {
		if r.From.Start().AddDate(0, 0, i).Year() == year {
			n++
		}
	}
	return n
}

// calendarMonth returns the lines of a month grid, Monday first: the title,
// the weekday header, and one line for each week.
func calendarMonth(c *calendar.Calendar, year int, month time.Month) []string {
	lines := []string{
		calendarPad(fmt.Sprintf("%d月", month), 7*calendarCell, true),
		" 一   二   三   四   五   六   日",
	}
	day := time.Date(year, month, 1, 0, 0, 0, 0, calendar.Location())
	col := (int(day.Weekday()) + 6) % 7
	var week strings.Builder
	week.WriteString(strings.Repeat(" ", col*calendarCell))
	for ; day.Month() == month; day = day.AddDate(0, 0, 1) {
		mark := "  "
		switch kind, _ := c.DayKind(day); kind {
		case calendar.Holiday:
			mark = "休"
		case calendar.AdjustedWorkday:
			mark = "班"
		}
		fmt.Fprintf(&week, " %2d%s", day.Day(), mark)
		if col++; col == 7 {
			lines = append(lines, week.String())
			week.Reset()
			col = 0
		}
	}
	if col > 0 {
		lines = append(lines, week.String())
	}
	return lines
}

// calendarPad pads s with spaces to width terminal columns, on the right or,
// if center, on both sides.
func calendarPad(s string, width int, center bool) string {
	w := displayWidth(s)
	if w >= width {
		return s
	}
	left := 0
	if center {
		left = (width - w) / 2
	}
	return strings.Repeat(" ", left) + s + strings.Repeat(" ", width-w-left)
}

func calendarWeekday(w time.Weekday) string {
	return [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}[w]
}

func calendarYears(years []int, sep string) string {
	if len(years) == 0 {
		return "无"
	}
	s := make([]string, len(years))
	for i, y := range years {
		s[i] = strconv.Itoa(y)
	}
	return strings.Join(s, sep)
}
