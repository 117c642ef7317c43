package records_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestNoteLineFeeds: a note's line breaks (a discrepancy's feedback, the
// note of its resolution, a timeliness rule's note) are stored as line
// feeds, as a text value's are, so that the same note sent as JSON (LF)
// and from the console's form (a textarea sends CR LF) is the same note.
// Until 2026-12-06 notes kept CR LF: the feedback sent again from the
// console was a second feedback (a history row and an audit row more),
// and a rule's note of 1000 characters with a line break was too_long
// from the console and taken as JSON.
func TestNoteLineFeeds(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		_, _, d1, _ := f.twoDisputedNames()
		id := d1[0].ID
		rsj := records.Reviewer{Actor: f.rsjPusher.Actor, DepartmentID: f.rsj}
		f.feedback(rsj, id, "经核实本局数据正确\n已附参保登记表", true)
		f.feedback(rsj, id, "经核实本局数据正确\r\n已附参保登记表", true)
		if h, a := f.feedbackRows(id); h != 1 || a != 1 {
			t.Errorf("the same feedback sent as JSON, then from the form: %d history rows, %d audit rows; want 1 and 1", h, a)
		}
		f.feedback(rsj, id, "补充说明\r\n第二行\r第三行", true)
		rows, err := db.Read().QueryContext(f.ctx, `SELECT feedback FROM record_discrepancy_feedback WHERE discrepancy_id = $1
			ORDER BY given_at, feedback`, id)
		if err != nil {
			t.Fatal(err)
		}
		var stored []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			stored = append(stored, s)
		}
		rows.Close()
		for _, s := range stored {
			if strings.Contains(s, "\r") {
				t.Errorf("feedback stored %q, want line feeds", s)
			}
		}

		op := records.Reviewer{Actor: f.pusher.Actor, Operator: true}
		if err := db.Tx(f.ctx, func(tx *sqldb.Tx) error {
			_, err := records.Resolve(f.ctx, tx, op, id, d1[0].EntryA, "以户籍为准\r\n经电话核实", f.receivedAt)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		var resolution string
		if err := db.Read().QueryRowContext(f.ctx, `SELECT resolution FROM record_discrepancies WHERE id = $1`, id).Scan(&resolution); err != nil {
			t.Fatal(err)
		}
		if resolution != "以户籍为准\n经电话核实" {
			t.Errorf("resolution stored %q, want its line break a line feed", resolution)
		}

		note := strings.Repeat("甲", 998) + "\r\n乙" // 1001 characters sent, 1000 stored
		if err := db.Tx(f.ctx, func(tx *sqldb.Tx) error {
			return records.SetRule(f.ctx, tx, f.pusher.Actor, f.hj, records.Quarterly, note, f.receivedAt)
		}); err != nil {
			t.Fatalf("a rule's note of 1000 characters and a CR LF: %v, want taken", err)
		}
		var got string
		if err := db.Read().QueryRowContext(f.ctx, `SELECT note FROM record_entry_rules WHERE entry_id = $1`, f.hj).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != strings.Repeat("甲", 998)+"\n乙" {
			t.Errorf("rule note stored %q…, want its line break a line feed", got[len(got)-8:])
		}
	})
}
