package web_test

import (
	"net/http"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCalendarStartTime: the deadline calculator takes its start as the
// API's deadline does (calendar.ParseStart): a date or an RFC 3339 time,
// its offset's + also sent unencoded, counted from the time's day in
// Beijing time, which the form then shows; where it took dates alone and
// refused a time 400 起算日期应为 YYYY-MM-DD 格式. Anything else is
// refused with a message naming both forms, and so is a deadline outside
// the years 0 to 9999. On both engines.
func TestCalendarStartTime(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.loggedIn(t, "reviewer")
		for _, c2 := range []struct{ from, due, day string }{
			// 2026-09-30 (Wednesday) + 1 working day skips the National Day holiday.
			{"2026-09-30T10:00:00%2B08:00", "2026年10月8日 星期四", "2026-09-30"},
			{"2026-09-30T10:00:00+08:00", "2026年10月8日 星期四", "2026-09-30"},
			{"2026-09-30T02:00:00.5Z", "2026年10月8日 星期四", "2026-09-30"},
			// 20:00 UTC on 10-08 is 04:00 on Friday 10-09 in Beijing:
			// the next working day is Saturday 10-10, an adjusted one.
			{"2026-10-08T20:00:00Z", "2026年10月10日 星期六", "2026-10-09"},
			{"%202026-10-08T20:00:00Z%20", "2026年10月10日 星期六", "2026-10-09"},
		} {
			r := c.get("/calendar?days=1&from=" + c2.from)
			wantStatus(t, c2.from, r, http.StatusOK)
			wantBody(t, c2.from, r, "期限为 <strong>"+c2.due+"</strong>", `name="from" value="`+c2.day+`"`)
		}
		for _, from := range []string{"2026-09-30T10:00:00", "2026-09-30T10:00", "2026-09-30T10:00:00%2B08:60", "2026/09/30"} {
			r := c.get("/calendar?days=1&from=" + from)
			wantStatus(t, from, r, http.StatusBadRequest)
			wantBody(t, from, r, "起算日期应为 YYYY-MM-DD 格式的日期（如 2026-03-02）或 RFC 3339 格式的时间（如 2026-03-02T09:00:00&#43;08:00）")
			wantNoBody(t, from, r, "deadline-result")
		}
		// A start or a due date outside the years 0 to 9999 in Beijing
		// time is refused, as the API refuses it (calendar.InRange); a
		// date's deadline past 9999 was shown as 10014年4月25日.
		for _, q := range []string{"from=0000-01-01T00:00:00%2B14:00&days=1", "from=9999-12-31T23:00:00-10:00&days=0", "from=9999-12-31&days=3650"} {
			r := c.get("/calendar?" + q)
			wantStatus(t, q, r, http.StatusBadRequest)
			wantBody(t, q, r, "起算日期与期限应在公元 0 至 9999 年之间")
		}
	})
}
