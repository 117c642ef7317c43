package api_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestQueryTimeUnencodedPlus sends the times of query parameters as the
// docs show them and curl sends them, the + of the offset unencoded: form
// decoding makes it a space, which each time parameter reads as the +
// there, and nowhere else.
func TestQueryTimeUnencodedPlus(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		a := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryA, 10)
		p1 := recordstest.CitizenID(3101)
		if r := rf.do(t, "POST", a+"/ops", rf.gaKey, opLine("add", p1, beijing(rf.clock.Now().Add(-time.Minute)), map[string]string{"姓名": "甲"})); r.status != 201 {
			t.Fatalf("push: %d %v", r.status, r.body)
		}
		now := beijing(rf.clock.Now()) // 2026-03-02T17:00:00+08:00
		for _, c := range []struct {
			path, key string
			status    int
			code      string
		}{
			{a + "/subjects/" + p1 + "?purpose=核验&at=" + now, rf.gaKey, 200, ""},
			{a + "/subjects/" + p1 + "?purpose=核验&at=" + beijing(t0.Add(-time.Hour)), rf.gaKey, 404, "record_not_found"},
			{a + "/subjects/" + p1 + "?purpose=核验&at=2026-03-02T17:00:00.5+08:00", rf.gaKey, 200, ""},
			{a + "/subjects/" + p1 + "?purpose=核验&at=2026-03-02T00:00:00-08:00", rf.gaKey, 404, "record_not_found"},
			// A space is a + only before an offset, after a time of day.
			{a + "/subjects/" + p1 + "?purpose=核验&at=2026-03-02+17:00:00+08:00", rf.gaKey, 400, "invalid_time"},
			{a + "/subjects/" + p1 + "?purpose=核验&at=2026-03-02T17:00:00+0800", rf.gaKey, 400, "invalid_time"},
			{a + "/subjects/" + p1 + "?purpose=核验&at=2026-03-02+17:00", rf.gaKey, 200, ""},
			{"/api/v1/calendar/deadline?from=2026-03-02T09:00:00+08:00&days=1", rf.readKey, 200, ""},
			{"/api/v1/calendar/deadline?from=2026-03-02+09:00&days=1", rf.readKey, 400, "invalid_time"},
			{"/api/v1/audit?since=2026-03-01T00:00:00+08:00&until=2026-03-03T00:00:00+08:00", rf.opKey, 200, ""},
			{"/api/v1/audit?since=2026-03-01+00:00:00+08:00", rf.opKey, 400, "invalid_time"},
		} {
			r := rf.do(t, "GET", c.path, c.key, "")
			if r.status != c.status || c.code != "" && r.body["code"] != c.code {
				t.Errorf("%s: got %d %v, want %d %s", c.path, r.status, r.body, c.status, c.code)
			}
		}
		if r := rf.do(t, "GET", "/api/v1/calendar/deadline?from=2026-03-02T09:00:00+08:00&days=1", rf.readKey, ""); r.body["from"] != "2026-03-02T09:00:00+08:00" {
			t.Errorf("deadline from: got %v, want 2026-03-02T09:00:00+08:00", r.body["from"])
		}
	})
}
