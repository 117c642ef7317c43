package records_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCancelWithValuesRefused: a cancel keeps the record's values, so
// values sent with one would be dropped without a word; it is refused
// (values_not_allowed), pushed alone or as a line of a batch, JSON or
// CSV, and nothing is applied. A cancel without values, or with an empty
// values object or empty CSV cells, is applied.
func TestCancelWithValuesRefused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p1, p2 := recordstest.CitizenID(1), recordstest.CitizenID(2)
		if res := f.push(f.pusher, f.hj, line("add", p1, monday, map[string]string{"姓名": "甲"}, "")+
			line("add", p2, monday, map[string]string{"姓名": "乙"}, ""), records.Options{}); res.Applied != 2 {
			t.Fatalf("add: %+v", res)
		}
		later := monday.Add(time.Hour)
		p := records.NewPushes(db, nil, func() time.Time { return f.receivedAt })
		_, err := p.Push(f.pusher, f.hj, records.Op{Op: "cancel", SubjectID: p1, ProducedAt: later, Values: map[string]string{"姓名": "改名"}})
		if e := errs.As(err); e == nil || e.Code != "values_not_allowed" || e.Field != "values" || e.Kind != errs.Invalid {
			t.Errorf("cancel with values pushed alone: %v, want values_not_allowed", err)
		}
		res := f.push(f.pusher, f.hj, line("cancel", p1, later, map[string]string{"姓名": "改名"}, "")+
			line("cancel", p2, later, nil, ""), records.Options{})
		if res.Applied != 0 || res.RejectedCount != 1 || res.Rejected[0].Line != 1 || res.Rejected[0].Code != "values_not_allowed" ||
			res.Rejected[0].Field != "values" {
			t.Errorf("JSON batch with a cancel with values: %+v, want line 1 values_not_allowed", res)
		}
		csv := "op,subject_id,produced_at,姓名\ncancel," + p1 + ",2026-03-02 10:30:00,改名\ncancel," + p2 + ",2026-03-02 10:30:00,\n"
		res, err = records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader(csv)), f.receivedAt, records.Options{})
		if err != nil || res.Applied != 0 || res.RejectedCount != 1 || res.Rejected[0].Line != 2 || res.Rejected[0].Code != "values_not_allowed" {
			t.Errorf("CSV batch with a cancel with values: %+v %v, want line 2 values_not_allowed", res.Rejected, err)
		}
		e := mustEntry(t, db, f.hj)
		if r, err := records.Get(f.ctx, db.Read(), e, p1); err != nil || r.Values["姓名"] != "甲" || r.Status == "cancelled" {
			t.Errorf("record after the refusals: %+v, %v, want 甲 active", r, err)
		}
		if res := f.push(f.pusher, f.hj, `{"op":"cancel","subject_id":"`+p1+`","produced_at":"`+later.Format(time.RFC3339)+`","values":{}}`+"\n"+
			line("cancel", p2, later, nil, ""), records.Options{}); res.Applied != 2 {
			t.Errorf("cancels without values: %+v, want applied", res)
		}
	})
}
