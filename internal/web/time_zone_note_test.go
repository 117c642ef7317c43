package web_test

import (
	"net/http"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestTimeZoneNote: every page of the staff console says, once, below
// its content, that its times are Beijing time, where they were shown as
// 2026-03-02 14:05 alone, read as local time by someone outside Beijing
// time (the API's messages say （北京时间）): the login page, the home
// page, the lists of times (audit log, batches, departments and accounts) and an error
// page. On both engines.
func TestTimeZoneNote(t *testing.T) {
	note := `<span id="time-zone">所有时间均为北京时间</span>`
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		r := f.client(t).get("/login")
		wantStatus(t, "/login", r, http.StatusOK)
		wantBody(t, "/login", r, note)
		c := f.loggedIn(t, "operator")
		for _, p := range []struct {
			path   string
			status int
		}{
			{"/", http.StatusOK},
			{"/audit", http.StatusOK},
			{"/records/batches", http.StatusOK},
			{"/org", http.StatusOK},
			{"/calendar?from=2026-02-30&days=1", http.StatusBadRequest},
		} {
			r := c.get(p.path)
			wantStatus(t, p.path, r, p.status)
			wantBody(t, p.path, r, note)
		}
	})
}
