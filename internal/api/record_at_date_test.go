package api_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRecordAtDateIsEndOfDay: a record read at a date alone
// (?at=2026-03-02) is the record as the platform held it when that day
// ended in Beijing time, what was received during the day included, as
// the audit filter's until takes a date; it was the record as the day
// began, a record first received that day not found. Its audit row
// records the instant read at. Both engines.
func TestRecordAtDateIsEndOfDay(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		a := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryA, 10)
		p := recordstest.CitizenID(3201)
		// Received 2026-03-02 17:00 and 2026-03-03 10:00, Beijing time.
		if r := rf.do(t, "POST", a+"/ops", rf.gaKey, opLine("add", p, beijing(rf.clock.Now().Add(-time.Minute)), map[string]string{"姓名": "甲"})); r.status != 201 {
			t.Fatalf("push: %d %v", r.status, r.body)
		}
		rf.clock.Add(17 * time.Hour)
		if r := rf.do(t, "POST", a+"/ops", rf.gaKey, opLine("change", p, beijing(rf.clock.Now().Add(-time.Minute)), map[string]string{"姓名": "乙"})); r.status != 201 {
			t.Fatalf("second push: %d %v", r.status, r.body)
		}
		for _, c := range []struct {
			at      string
			status  int
			version float64
		}{
			{"2026-03-01", 404, 0},
			{"2026-03-02", 200, 1},
			{"%202026-03-02%20", 200, 1},
			{"2026-03-02T23:59:59.999999999%2B08:00", 200, 1},
			{"2026-03-03T00:00:00%2B08:00", 200, 1},
			{"2026-03-03", 200, 2},
		} {
			r := rf.do(t, "GET", a+"/subjects/"+p+"?purpose=核验&at="+c.at, rf.gaKey, "")
			if r.status != c.status || c.status == 200 && r.body["version"] != c.version {
				t.Errorf("at=%s: %d %v, want %d version %v", c.at, r.status, r.body, c.status, c.version)
			}
		}
		if n := rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE action = 'records.read' AND outcome = 'ok' AND detail = $1`,
			`{"at":"2026-03-02T15:59:59.999999999Z"}`); n != 3 {
			t.Errorf("%d records.read rows at the end of 2026-03-02 (2026-03-02T15:59:59.999999999Z), want 3 (two at the date, one at its last instant)", n)
		}
	})
}
