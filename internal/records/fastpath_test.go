package records_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestFastPathsKeepSemantics covers what the fast paths of a batch skip:
// a key applied in another entry of the same provider (found only by the
// unique index on SQLite) and subjects written by an earlier chunk of a
// batch into an empty entry (found through the filter), in a batch that
// spans several chunks on both engines.
func TestFastPathsKeepSemantics(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		other := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "101001/000002", Name: "户籍人口信息二",
			SubjectKind: "person", Items: personItems[:4]})
		f.push(f.pusher, f.hj, line("add", recordstest.CitizenID(0), monday, map[string]string{"姓名": "甲"}, "k-shared"), records.Options{})

		// Into the empty entry: 12,000 adds, then a change and a cancel of
		// subjects written thousands of lines before, and last a line whose
		// key was applied in the other entry (a duplicate, valid otherwise).
		var b strings.Builder
		const n = 12000
		for i := 1; i <= n; i++ {
			b.WriteString(line("add", recordstest.CitizenID(i), monday, map[string]string{"姓名": fmt.Sprint("人", i)}, ""))
		}
		b.WriteString(line("change", recordstest.CitizenID(1), monday, map[string]string{"姓名": "改"}, ""))
		b.WriteString(line("cancel", recordstest.CitizenID(2), monday, nil, ""))
		b.WriteString(line("add", recordstest.CitizenID(n+1), monday, map[string]string{"姓名": "乙"}, "k-shared"))
		res := f.push(f.pusher, other, b.String(), records.Options{})
		if res.Applied != n+2 || res.Duplicates != 1 || res.RejectedCount != 0 {
			t.Fatalf("batch: applied %d duplicates %d rejected %d %+v", res.Applied, res.Duplicates, res.RejectedCount, res.Rejected)
		}
		var version int
		var status string
		if err := db.Read().QueryRowContext(f.ctx, `SELECT version, status FROM records WHERE entry_id = $1 AND subject_id = $2`,
			other, recordstest.CitizenID(1)).Scan(&version, &status); err != nil || version != 2 || status != "active" {
			t.Errorf("changed subject: version %d %s %v", version, status, err)
		}
		if err := db.Read().QueryRowContext(f.ctx, `SELECT version, status FROM records WHERE entry_id = $1 AND subject_id = $2`,
			other, recordstest.CitizenID(2)).Scan(&version, &status); err != nil || version != 2 || status != "cancelled" {
			t.Errorf("cancelled subject: version %d %s %v", version, status, err)
		}
		var count int
		db.Read().QueryRowContext(f.ctx, `SELECT count(*) FROM records WHERE entry_id = $1`, other).Scan(&count)
		if count != n {
			t.Errorf("records = %d, want %d", count, n)
		}

		// Adding again a subject of an earlier chunk is refused, with its line.
		b.Reset()
		for i := n + 2; i < n+1200; i++ {
			b.WriteString(line("add", recordstest.CitizenID(i), monday, map[string]string{"姓名": "丙"}, ""))
		}
		b.WriteString(line("add", recordstest.CitizenID(5), monday, map[string]string{"姓名": "丁"}, ""))
		res, err := records.Ingest(f.ctx, db, f.pusher, other, records.JSONLines(strings.NewReader(b.String())), f.receivedAt, records.Options{})
		if err != nil || res.RejectedCount != 1 || res.Rejected[0].Line != 1199 || res.Rejected[0].Code != "record_exists" {
			t.Errorf("re-add: %v %d %+v", err, res.RejectedCount, res.Rejected)
		}
	})
}
