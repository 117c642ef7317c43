package records_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestFastPathsKeepSemantics covers what the fast paths of a batch skip:
// subjects written by an earlier chunk of a batch into an empty entry
// (found through the filter), in a batch that spans several chunks on both
// engines, and an operation resent after its batch committed (found only
// by the unique index). Op keys are scoped per record: the same key in
// another entry is another operation.
func TestFastPathsKeepSemantics(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		other := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "101001/000002", Name: "户籍人口信息二",
			SubjectKind: "person", Items: personItems[:4]})
		f.push(f.pusher, f.hj, line("add", recordstest.CitizenID(0), monday, map[string]string{"姓名": "甲"}, "k-shared"), records.Options{})

		// Into the empty entry: 12,000 adds, then a change and a cancel of
		// subjects written thousands of lines before, and last a line whose
		// key was applied in the other entry (not a duplicate).
		var b strings.Builder
		const n = 12000
		b.WriteString(people(1, n+1))
		change := line("change", recordstest.CitizenID(1), monday, map[string]string{"姓名": "改"}, "")
		b.WriteString(change)
		b.WriteString(line("cancel", recordstest.CitizenID(2), monday, nil, ""))
		b.WriteString(line("add", recordstest.CitizenID(n+1), monday, map[string]string{"姓名": "乙"}, "k-shared"))
		res := f.push(f.pusher, other, b.String(), records.Options{})
		if res.Applied != n+3 || res.Duplicates != 0 || res.RejectedCount != 0 {
			t.Fatalf("batch: applied %d duplicates %d rejected %d %+v", res.Applied, res.Duplicates, res.RejectedCount, res.Rejected)
		}
		e, err := records.LoadEntry(f.ctx, db.Read(), other)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []records.Record{{SubjectID: recordstest.CitizenID(1), Version: 2, Status: "active"},
			{SubjectID: recordstest.CitizenID(2), Version: 2, Status: "cancelled"},
			{SubjectID: recordstest.CitizenID(n + 1), Version: 1, Status: "active"}} {
			if r, err := records.Get(f.ctx, db.Read(), e, want.SubjectID); err != nil || r.Version != want.Version || r.Status != want.Status {
				t.Errorf("record %s: version %d %s %v, want %d %s", want.SubjectID, r.Version, r.Status, err, want.Version, want.Status)
			}
		}
		var count int
		db.Read().QueryRowContext(f.ctx, `SELECT count(DISTINCT subject_id) FROM record_versions WHERE entry_id = $1`, other).Scan(&count)
		if count != n+1 {
			t.Errorf("records = %d, want %d", count, n+1)
		}

		// The change resent after a later change, amid new adds: applied to
		// the record as it stands, it is found only by the unique index.
		b.Reset()
		b.WriteString(line("change", recordstest.CitizenID(1), monday, map[string]string{"姓名": "再改"}, ""))
		for i := n + 1200; i < n+1300; i++ {
			b.WriteString(line("add", recordstest.CitizenID(i), monday, map[string]string{"姓名": "戊"}, ""))
		}
		b.WriteString(change)
		res = f.push(f.pusher, other, b.String(), records.Options{})
		if res.Applied != 101 || res.Duplicates != 1 || res.RejectedCount != 0 {
			t.Fatalf("resent change: applied %d duplicates %d rejected %d %+v", res.Applied, res.Duplicates, res.RejectedCount, res.Rejected)
		}
		if r, err := records.Get(f.ctx, db.Read(), e, recordstest.CitizenID(1)); err != nil || r.Version != 3 || r.Values["姓名"] != "再改" {
			t.Errorf("after the resent change: %+v %v", r, err)
		}

		// Adding again a subject of an earlier chunk is refused, with its line.
		b.Reset()
		for i := n + 2; i < n+1200; i++ {
			b.WriteString(line("add", recordstest.CitizenID(i), monday, map[string]string{"姓名": "丙"}, ""))
		}
		b.WriteString(line("add", recordstest.CitizenID(5), monday, map[string]string{"姓名": "丁"}, ""))
		res, err = records.Ingest(f.ctx, db, f.pusher, other, records.JSONLines(strings.NewReader(b.String())), f.receivedAt, records.Options{})
		if err != nil || res.RejectedCount != 1 || res.Rejected[0].Line != 1199 || res.Rejected[0].Code != "record_exists" {
			t.Errorf("re-add: %v %d %+v", err, res.RejectedCount, res.Rejected)
		}
	})
}
