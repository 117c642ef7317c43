package api_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/api"
	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// withCalendar returns f serving its API with the built-in calendar and
// the rules of file added.
func withCalendar(t *testing.T, f *fixture, file string) *fixture {
	t.Helper()
	rules, err := calendar.Parse(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	cal, err := calendar.Default().With(rules)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	now := func() time.Time { return t0 }
	authn := &auth.Authenticator{DB: f.db, Log: log, Now: now}
	a := &api.API{DB: f.db, Log: log, Now: now, Auth: authn, Calendar: cal}
	mux := http.NewServeMux()
	a.Register(mux)
	g := *f
	g.srv = httptest.NewServer(authn.Middleware(a.Error)(mux))
	t.Cleanup(g.srv.Close)
	return &g
}

// TestCalendarPartialYearNotCovered: with a calendar file holding only a
// year's 国庆节, a deadline in that year's 春节 and the year itself answer
// covered false, where they answered true (due 2027-02-09, inside the
// real 春节 break).
func TestCalendarPartialYearNotCovered(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := withCalendar(t, newFixture(t, db), "2027-10-01..2027-10-07 holiday 国庆节\n")
		r := f.do(t, "GET", "/api/v1/calendar/deadline?from=2027-02-05&days=2", f.readKey, "")
		if r.status != 200 || r.body["covered"] != false {
			t.Errorf("deadline from 2027-02-05: %d %v, want covered false", r.status, r.body)
		}
		r = f.do(t, "GET", "/api/v1/calendar/2027", f.readKey, "")
		if r.status != 200 || r.body["covered"] != false {
			t.Errorf("calendar 2027: %d covered %v, want covered false", r.status, r.body["covered"])
		}
	})
}

// TestCalendarWithoutNationalDayNotCovered: with a file of 2027's 春节,
// 清明节, 端午节 and 中秋节 only, a deadline across 国庆 answered covered
// true, due 2027-10-06, counting the 补假 of 国庆节 (10-02 and 10-03 are a
// weekend) as working days. It answers covered false, due 2027-10-08.
func TestCalendarWithoutNationalDayNotCovered(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := withCalendar(t, newFixture(t, db), "2027-02-06..2027-02-14 holiday 春节\n2027-04-03..2027-04-05 holiday 清明节\n"+
			"2027-06-09..2027-06-11 holiday 端午节\n2027-09-15 holiday 中秋节\n")
		r := f.do(t, "GET", "/api/v1/calendar/deadline?from=2027-09-30&days=3", f.readKey, "")
		if r.status != 200 || r.body["covered"] != false || r.body["due_date"] != "2027-10-08" {
			t.Errorf("deadline from 2027-09-30: %d %v, want covered false, due_date 2027-10-08", r.status, r.body)
		}
	})
}

// TestCalendarYearRange: a year outside the calendar's range (1950, when
// the statutory holidays begin, to 9999), or no year at all, is refused
// with 400 invalid_year naming the range, where it answered 404.
func TestCalendarYearRange(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		for _, year := range []string{"abc", "0", "1", "1949", "10000", "-2026"} {
			r := f.do(t, "GET", "/api/v1/calendar/"+year, f.readKey, "")
			if detail, _ := r.body["detail"].(string); r.status != 400 || r.body["code"] != "invalid_year" ||
				!strings.Contains(detail, "1950 到 9999") {
				t.Errorf("calendar/%s: %d %v, want 400 invalid_year naming 1950 到 9999", year, r.status, r.body)
			}
		}
		for _, year := range []string{"1950", "9999"} {
			if r := f.do(t, "GET", "/api/v1/calendar/"+year, f.readKey, ""); r.status != 200 {
				t.Errorf("calendar/%s: %d %v, want 200", year, r.status, r.body)
			}
		}
	})
}
