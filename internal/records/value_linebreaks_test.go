package records_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestValueLineBreaks: a text value's line breaks are stored as line
// feeds, a CR LF or a CR alone sent in JSON as encoding/csv reads a CR LF
// in a quoted CSV cell, so that a value is the same value whichever way
// it is pushed. Before, JSON kept the CR LF and CSV stored LF: a CSV
// change of the text a JSON add stored was applied as a new version, a
// keyless add sent as JSON and again as CSV was refused record_exists
// instead of counted a duplicate, and a value of the item's length with
// a CR LF was value_too_long in JSON, taken in CSV.
func TestValueLineBreaks(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		e := mustEntry(t, db, f.hj)
		csv := func(body string) records.BatchResult {
			t.Helper()
			res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader("op,subject_id,produced_at,户籍地址\r\n"+body)),
				f.receivedAt, records.Options{})
			if err != nil {
				t.Fatalf("CSV ingest: %v", err)
			}
			return res
		}
		stored := func(subject, want string) {
			t.Helper()
			if r, err := records.Get(f.ctx, db.Read(), e, subject); err != nil || r.Values["户籍地址"] != want {
				t.Errorf("%s: stored %q, %v; want %q", subject, r.Values["户籍地址"], err, want)
			}
		}
		const crlf, lf = "第一行\r\n第二行", "第一行\n第二行"

		// A JSON add with CR LF, then a CSV change with the same text:
		// unchanged, and so is a JSON change with it again.
		p1 := recordstest.CitizenID(1)
		if res := f.push(f.pusher, f.hj, line("add", p1, monday, map[string]string{"户籍地址": crlf}, ""), records.Options{}); res.Applied != 1 {
			t.Fatalf("JSON add: %+v", res)
		}
		stored(p1, lf)
		if res := csv("change," + p1 + ",2026-03-02 10:30:00,\"" + crlf + "\"\r\n"); res.Applied != 0 || res.Unchanged != 1 {
			t.Errorf("CSV change with the JSON add's text: applied %d, unchanged %d; want 0, 1 (%+v)", res.Applied, res.Unchanged, res.Rejected)
		}
		if res := f.push(f.pusher, f.hj, line("change", p1, monday.Add(45*time.Minute), map[string]string{"户籍地址": "第一行\r第二行"}, ""),
			records.Options{}); res.Applied != 0 || res.Unchanged != 1 {
			t.Errorf("JSON change with a CR alone: applied %d, unchanged %d; want 0, 1 (%+v)", res.Applied, res.Unchanged, res.Rejected)
		}

		// A keyless add sent as JSON, then resent as CSV: a duplicate.
		p2 := recordstest.CitizenID(2)
		if res := f.push(f.pusher, f.hj, line("add", p2, monday, map[string]string{"户籍地址": crlf}, ""), records.Options{}); res.Applied != 1 {
			t.Fatalf("JSON add: %+v", res)
		}
		if res := csv("add," + p2 + ",2026-03-02 10:00:00,\"" + crlf + "\"\r\n"); res.Duplicates != 1 || res.RejectedCount != 0 {
			t.Errorf("keyless add resent as CSV: duplicates %d, refused %+v; want 1 duplicate", res.Duplicates, res.Rejected)
		}

		// Pushed alone, then resent as CSV: a duplicate too.
		p5 := recordstest.CitizenID(5)
		pushes := records.NewPushes(db, nil, func() time.Time { return f.receivedAt })
		if res, err := pushes.Push(f.pusher, f.hj, records.Op{Op: "add", SubjectID: p5, ProducedAt: monday,
			Values: map[string]string{"户籍地址": crlf}}); err != nil || res.Applied != 1 {
			t.Fatalf("add pushed alone: %+v, %v", res, err)
		}
		stored(p5, lf)
		if res := csv("add," + p5 + ",2026-03-02 10:00:00,\"" + crlf + "\"\r\n"); res.Duplicates != 1 || res.RejectedCount != 0 {
			t.Errorf("add pushed alone resent as CSV: duplicates %d, refused %+v; want 1 duplicate", res.Duplicates, res.Rejected)
		}

		// A value of the item's length, 50, with a CR LF counted as one
		// character: taken in JSON as in CSV.
		long := strings.Repeat("路", 25) + "\r\n" + strings.Repeat("号", 24)
		p3, p4 := recordstest.CitizenID(3), recordstest.CitizenID(4)
		if res := f.push(f.pusher, f.hj, line("add", p3, monday, map[string]string{"户籍地址": long}, ""), records.Options{}); res.Applied != 1 {
			t.Errorf("JSON add of 50 characters with a CR LF: %+v, want applied", res.Rejected)
		}
		if res := csv("add," + p4 + ",2026-03-02 10:00:00,\"" + long + "\"\r\n"); res.Applied != 1 {
			t.Errorf("CSV add of 50 characters with a CR LF: %+v, want applied", res.Rejected)
		}
		stored(p3, strings.ReplaceAll(long, "\r", ""))
		stored(p4, strings.ReplaceAll(long, "\r", ""))
	})
}
