package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/text"
)

// MaxDeadlineDays bounds the deadline calculator.
const MaxDeadlineDays = 3650

type specialDay struct {
	From, To calendar.Date
	Days     int
	Kind     calendar.Kind
	Name     string
	// Assumed marks the statutory holidays on days no arrangement names
	// (Calendar.Unarranged): every one of a year without arrangements.
	Assumed bool
}

type deadline struct {
	From time.Time
	Days int
	Due  time.Time
}

type calendarData struct {
	Year         int
	Prev, Next   int
	Covered      bool
	Missing      string // the notice's holidays a year not covered lacks, joined by 、
	Arranged     bool   // some of the notice's holidays of the year are arranged
	HasPrev      bool   // the years before and after are in the calendar's range
	HasNext      bool
	WorkingDays  int
	Special      []specialDay
	Today        string // YYYY-MM-DD, the form's default
	FromInput    string
	DaysInput    string
	Deadline     *deadline
	DeadlineErr  string
	DeadlineNote string
}

func (w *Web) calendarPage(rw http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	now := w.cfg.Now()
	cal := w.cfg.Calendar
	d := calendarData{Year: calendar.DateOf(now).Year, Today: calendar.DateOf(now).String()}
	if v := q.Get("year"); v != "" {
		y, err := calendar.ParseYear(v)
		if err != nil {
			return err
		}
		d.Year = y
	}
	d.Prev, d.Next = d.Year-1, d.Year+1
	d.HasPrev, d.HasNext = d.Prev >= calendar.FirstYear, d.Next <= calendar.LastYear
	d.Covered = cal.Covers(d.Year)
	missing := cal.Missing(d.Year)
	d.Missing = strings.Join(missing, "、")
	d.Arranged = len(missing) < len(calendar.NoticeHolidays())
	for day := time.Date(d.Year, 1, 1, 12, 0, 0, 0, calendar.Location()); day.Year() == d.Year; day = day.AddDate(0, 0, 1) {
		if cal.IsWorkingDay(day) {
			d.WorkingDays++
		}
	}
	for _, rule := range cal.Rules() {
		if rule.From.Year == d.Year || rule.To.Year == d.Year {
			d.Special = append(d.Special, specialDay{From: rule.From, To: rule.To, Days: rule.Days(), Kind: rule.Kind, Name: rule.Name})
		}
	}
	for _, rule := range cal.Unarranged(d.Year) {
		d.Special = append(d.Special, specialDay{From: rule.From, To: rule.To, Days: rule.Days(), Kind: rule.Kind, Name: rule.Name, Assumed: true})
	}
	slices.SortStableFunc(d.Special, func(a, b specialDay) int { return strings.Compare(a.From.String(), b.From.String()) })

	status := http.StatusOK
	// The start is read as the API's deadline reads it (text.QueryTime,
	// without white space around it, calendar.ParseStart), and shown in
	// the form as its day in Beijing time, the form's date, once read.
	d.FromInput, d.DaysInput = strings.TrimSpace(text.QueryTime(q, "from")), q.Get("days")
	if d.DaysInput != "" {
		if dl, msg := w.deadline(d.FromInput, d.DaysInput, now); msg != "" {
			d.DeadlineErr, status = msg, http.StatusBadRequest
		} else {
			d.Deadline = dl
			d.DeadlineNote = deadlineNote(cal, dl)
			d.FromInput = calendar.DateOf(dl.From).String()
		}
	}
	if d.FromInput == "" {
		d.FromInput = d.Today
	}
	return w.render(rw, r, status, "calendar", "工作日历", d)
}

// deadlineNote warns, as the API's covered does (CoversSpan: the same
// years' Covers), when a year from the start of dl to its due date lacks
// arrangements, naming each such year and the holidays it lacks; "" when
// all are covered.
func deadlineNote(cal *calendar.Calendar, dl *deadline) string {
	var gaps []string
	for y := calendar.DateOf(dl.From).Year; y <= calendar.DateOf(dl.Due).Year; y++ {
		if !cal.Covers(y) {
			gaps = append(gaps, fmt.Sprintf("%d年（缺少%s）", y, strings.Join(cal.Missing(y), "、")))
		}
	}
	if len(gaps) == 0 {
		return ""
	}
	return "注意：起算日至期限之间，" + strings.Join(gaps, "、") +
		"的节假日安排尚未录入或不全，结果未计这些节日由通知安排的放假日期和相应的调休，可能有误。"
}

// deadline computes the due date of the form, or a message saying what is
// wrong with its input.
func (w *Web) deadline(fromInput, daysInput string, now time.Time) (*deadline, string) {
	from := now
	if fromInput != "" {
		t, err := calendar.ParseStart(fromInput)
		if err != nil {
			return nil, "起算日期应为 YYYY-MM-DD 格式的日期（如 2026-03-02）或 RFC 3339 格式的时间（如 2026-03-02T09:00:00+08:00）"
		}
		from = t
	}
	days, err := strconv.Atoi(strings.TrimSpace(daysInput))
	if err != nil || days < 0 || days > MaxDeadlineDays {
		return nil, "工作日数应为 0 到 3650 之间的整数"
	}
	due := w.cfg.Calendar.AddWorkingDays(from, days)
	if !calendar.InRange(from, due) {
		return nil, "起算日期与期限应在公元 0 至 9999 年之间"
	}
	return &deadline{From: from, Days: days, Due: due}, ""
}
