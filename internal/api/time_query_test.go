package api_test

import (
	"context"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestAuditReadRowKeepsOffsetSign: a read of the audit log filtered by a
// since or until whose offset's + was sent unencoded, as the docs show it
// and curl sends it, is filtered by that offset (text.QueryTime), and its
// audit.read row, served or refused, records the time as one sent with
// %2B does; it kept the decoded "…T00:00:00 08:00", the sign lost. Both
// engines.
func TestAuditReadRowKeepsOffsetSign(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		const want = `{"since":"2026-12-07T00:00:00+08:00","until":"2026-12-08T00:00:00+08:00"}`
		for _, c := range []struct {
			name, key, outcome string
			status             int
		}{
			{"served", rf.opKey, "ok", 200},
			{"refused", rf.opReadKey, "denied", 403},
		} {
			for _, q := range []string{"since=2026-12-07T00:00:00+08:00&until=2026-12-08T00:00:00+08:00",
				"since=2026-12-07T00:00:00%2B08:00&until=2026-12-08T00:00:00%2B08:00"} {
				if r := rf.do(t, "GET", "/api/v1/audit?"+q, c.key, ""); r.status != c.status {
					t.Fatalf("%s read ?%s: %d %v, want %d", c.name, q, r.status, r.body, c.status)
				}
			}
			var got []string
			rows, err := db.Read().QueryContext(context.Background(), `SELECT detail FROM audit_log WHERE action = 'audit.read' AND outcome = $1 ORDER BY seq`, c.outcome)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var d string
				if err := rows.Scan(&d); err != nil {
					t.Fatal(err)
				}
				got = append(got, d)
			}
			if err := rows.Close(); err != nil {
				t.Fatal(err)
			}
			wantDetail := want
			if c.outcome == "denied" {
				wantDetail = `{"reason":"forbidden","since":"2026-12-07T00:00:00+08:00","until":"2026-12-08T00:00:00+08:00"}`
			}
			if len(got) != 2 || got[0] != wantDetail || got[1] != wantDetail {
				t.Errorf("%s reads' audit.read details %q, want both %s", c.name, got, wantDetail)
			}
		}
	})
}

// TestDeadlineFromTrimmed: the deadline's from is read as every other
// time parameter is, white space around it ignored; a from with a space
// after it was refused (400 invalid_time).
func TestDeadlineFromTrimmed(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		for _, from := range []string{"%202026-12-01%20", "2026-12-01%20", "+2026-12-01T00:00:00+08:00+"} {
			r := f.do(t, "GET", "/api/v1/calendar/deadline?days=2&from="+from, f.readKey, "")
			if r.status != 200 || r.body["due_date"] != "2026-12-03" {
				t.Errorf("deadline from %q + 2 working days: %d %v, want due_date 2026-12-03", from, r.status, r.body)
			}
		}
	})
}
