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

// TestExcelChecksCSVOnly: what Excel makes of a cell, a long number in
// scientific notation or a formula's error value, is refused in a CSV
// file only, and scientific notation only as Excel shows a number of 12
// digits or more (E+11 and up). A JSON push or JSON Lines batch, which no
// spreadsheet made, keeps 1.5E-06, 2.5E+3, #N/A and 4.40605E+17 in its
// text items, and a CSV file keeps 1.5E-06 and 2.5E+3; since 03db6ae6 and
// 95519b20 all were refused, from every source.
func TestExcelChecksCSVOnly(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		id := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "101001/000078", Name: "办件信息", SubjectKind: "person",
			Items: []records.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true},
				{Name: "事项名称", Type: "C", Length: 30}, {Name: "办理结果", Type: "C", Length: 30}}})
		e := mustEntry(t, db, id)
		stored := func(subject, name, result string) {
			t.Helper()
			r, err := records.Get(f.ctx, db.Read(), e, subject)
			if err != nil || r.Values["事项名称"] != name || r.Values["办理结果"] != result {
				t.Errorf("%s: %+v, %v; want 事项名称 %q, 办理结果 %q", subject, r.Values, err, name, result)
			}
		}

		jsonl := line("add", recordstest.CitizenID(1), monday, map[string]string{"事项名称": "1.5E-06", "办理结果": "#N/A"}, "") +
			line("add", recordstest.CitizenID(2), monday, map[string]string{"事项名称": "2.5E+3", "办理结果": "4.40605E+17"}, "")
		if res := f.push(f.pusher, id, jsonl, records.Options{}); res.Applied != 2 || res.RejectedCount != 0 {
			t.Fatalf("JSON Lines: %s (applied %d), want both applied", refusals(res), res.Applied)
		}
		stored(recordstest.CitizenID(1), "1.5E-06", "#N/A")
		stored(recordstest.CitizenID(2), "2.5E+3", "4.40605E+17")

		p := records.NewPushes(db, nil, func() time.Time { return f.receivedAt })
		if _, err := p.Push(f.pusher, id, records.Op{Op: "add", SubjectID: recordstest.CitizenID(3), ProducedAt: monday,
			Values: map[string]string{"事项名称": "2.5E+3", "办理结果": "#N/A"}}); err != nil {
			t.Fatalf("JSON push: %v, want applied", err)
		}
		stored(recordstest.CitizenID(3), "2.5E+3", "#N/A")

		const header = "op,subject_id,produced_at,事项名称,办理结果\n"
		csv := func(rows string) records.BatchResult {
			t.Helper()
			res, err := records.Ingest(f.ctx, db, f.pusher, id, records.CSV(strings.NewReader(header+rows)), f.receivedAt, records.Options{})
			if err != nil {
				t.Fatal(err)
			}
			return res
		}
		if res := csv("add," + recordstest.CitizenID(4) + ",2026-03-02 09:00,2.5E+3,1.5E-06\n"); res.Applied != 1 || res.RejectedCount != 0 {
			t.Fatalf("CSV: %s (applied %d), want applied", refusals(res), res.Applied)
		}
		stored(recordstest.CitizenID(4), "2.5E+3", "1.5E-06")
		res := csv("add," + recordstest.CitizenID(5) + ",2026-03-02 09:00,4.40605E+17,办结\n" +
			"add," + recordstest.CitizenID(6) + ",2026-03-02 09:00,准予许可,#N/A\n")
		if got, want := refusals(res), "2:excel_scientific_notation:事项名称 3:excel_error_value:办理结果"; got != want {
			t.Errorf("CSV: refusals %q, want %q", got, want)
		}
	})
}
