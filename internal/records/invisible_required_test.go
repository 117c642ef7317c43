package records_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// invisibles show nothing (text.Blank) but are neither white space,
// which strings.TrimSpace drops, nor format characters (text.HasFormat,
// refused as invalid_characters).
var invisibles = []string{"\u3164", "\ufe0f", "\u115f", "\U000e0100", "\u2800", " \u3164\u3000\u2800"}

// TestPurposeInvisibleIsMissing: a read purpose that shows nothing is no
// purpose: CheckPurpose gives "" for it, which the callers refuse as
// missing, so a read is never audited with an invisible purpose.
func TestPurposeInvisibleIsMissing(t *testing.T) {
	for _, s := range invisibles {
		if got, err := records.CheckPurpose(s); err != nil || got != "" {
			t.Errorf("CheckPurpose(%+q) = %q, %v; want \"\", nil (missing)", s, got, err)
		}
	}
	if got, err := records.CheckPurpose(" 核查差异 "); err != nil || got != "核查差异" {
		t.Errorf("CheckPurpose(核查差异) = %q, %v", got, err)
	}
}

// TestFeedbackAndNoteInvisible: feedback that shows nothing is refused as
// missing (it would take the department off the overdue list), and a
// resolution note that shows nothing is replaced by the default one.
func TestFeedbackAndNoteInvisible(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		_, _, d1, d2 := f.twoDisputedNames()
		rsj := records.Reviewer{Actor: f.rsjPusher.Actor, DepartmentID: f.rsj}
		gaj := records.Reviewer{Actor: f.pusher.Actor, DepartmentID: f.gaj}
		for _, s := range invisibles {
			err := db.Tx(f.ctx, func(tx *sqldb.Tx) error {
				_, err := records.Feedback(f.ctx, tx, rsj, d1[0].ID, s, new(false), f.receivedAt)
				return err
			})
			if e := errs.As(err); e == nil || e.Code != "missing_feedback" {
				t.Errorf("feedback %+q: %v, want missing_feedback", s, err)
			}
		}
		var got records.Discrepancy
		err := db.Tx(f.ctx, func(tx *sqldb.Tx) error {
			var err error
			got, err = records.Resolve(f.ctx, tx, gaj, d2[0].ID, 0, "\u3164", f.receivedAt)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if got.Resolution != "以权威数源为准" {
			t.Errorf("resolution of note U+3164 = %+q, want 以权威数源为准", got.Resolution)
		}
	})
}

// TestCSVInvisibleUnderBlankHeader: a cell that shows nothing under a
// blank header cell is no value, as a cell of spaces: no unknown_item.
func TestCSVInvisibleUnderBlankHeader(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		body := "op,subject_id,produced_at,姓名,出生日期,\n" +
			"add," + recordstest.CitizenID(1) + ",2026-03-02 10:00:00,张三,1990-01-01,\u3164\n" +
			"add," + recordstest.CitizenID(2) + ",2026-03-02 10:00:00,李四,1990-01-02,\u200b\n"
		res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader(body)), f.receivedAt, records.Options{})
		if err != nil || res.RejectedCount != 0 || res.Applied != 2 {
			t.Errorf("invisible cells under a blank header: %+v, %v; want both rows applied", res, err)
		}
	})
}
