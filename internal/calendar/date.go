package calendar

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hutong-gov/hutong/internal/errs"
)

// shanghai is China Standard Time. Asia/Shanghai has been UTC+8 without
// daylight saving time since 1991, so a fixed zone gives the same dates as
// the tz database without depending on tzdata being installed.
var shanghai = time.FixedZone("CST", 8*3600)

// Location returns the zone every computation in this package uses: a fixed
// UTC+8 zone named "CST", equivalent to Asia/Shanghai for 1992 onwards.
func Location() *time.Location { return shanghai }

// FirstYear and LastYear are the years the calendar answers for: the
// statutory holidays begin with 1950 (政务院's 全国年节及纪念日放假办法, in
// force from 23 December 1949; see [StatutoryHolidays]), and dates end
// with 9999.
const (
	FirstYear = 1950
	LastYear  = 9999
)

// ParseYear reads a year in decimal. A year that is not an integer from
// [FirstYear] to [LastYear] is an errs.Invalid error invalid_year about the
// field "year" naming the range.
func ParseYear(s string) (int, error) {
	year, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || year < FirstYear || year > LastYear {
		return 0, errs.Field("year", "invalid_year", fmt.Sprintf("年份“%s”无效：日历支持 %d 到 %d 年（法定节假日自 %d 年元旦起放假）",
			s, FirstYear, LastYear, FirstYear))
	}
	return year, nil
}

// Date is a day of the calendar in China, without time of day or zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the date of t in Beijing time.
func DateOf(t time.Time) Date {
	y, m, d := t.In(shanghai).Date()
	return Date{y, m, d}
}

// String formats d as YYYY-MM-DD.
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// Start returns the first instant of d, 00:00 Beijing time.
func (d Date) Start() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, shanghai)
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return weekday(d.num()) }

// valid reports whether d is a real date in years 1 to 9999.
func (d Date) valid() bool {
	return d.Year >= 1 && d.Year <= 9999 && fromNum(d.num()) == d
}

// num returns d as a count of days since 1970-01-01 (a Thursday).
// Dates are handled internally as such numbers to make arithmetic cheap.
func (d Date) num() int {
	return int(time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// fromNum returns the date of day number n. Counting working days asks it
// for every day, so it computes the proleptic Gregorian date with integer
// arithmetic (H. Hinnant's civil_from_days) rather than through time.Time.
func fromNum(n int) Date {
	z := n + 719468 // days since 0000-03-01
	era := z
	if z < 0 {
		era -= 146096
	}
	era /= 146097                                          // 400-year cycles
	doe := z - era*146097                                  // day of the cycle, [0, 146096]
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365 // year of the cycle, [0, 399]
	doy := doe - (365*yoe + yoe/4 - yoe/100)               // day of the year from 1 March, [0, 365]
	mp := (5*doy + 2) / 153                                // month from March, [0, 11]
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	y := yoe + era*400
	if m <= 2 {
		y++
	}
	return Date{y, time.Month(m), d}
}

func weekday(n int) time.Weekday {
	return time.Weekday((n%7 + 7 + int(time.Thursday)) % 7)
}

func isWeekend(n int) bool {
	w := weekday(n)
	return w == time.Saturday || w == time.Sunday
}

// weekdaysIn counts Monday to Friday in the day numbers [lo, hi).
func weekdaysIn(lo, hi int) int {
	if hi <= lo {
		return 0
	}
	weeks := (hi - lo) / 7
	n := weeks * 5
	for d := lo + weeks*7; d < hi; d++ {
		if !isWeekend(d) {
			n++
		}
	}
	return n
}

func weekdayName(w time.Weekday) string {
	return [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}[w]
}
