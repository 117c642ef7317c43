package records_test

import (
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCancelWithoutActiveRecord: a cancel of a subject never added is
// refused record_not_found, one of a record already cancelled
// record_cancelled, and neither stores a version. In a batch the two
// lines are its only refused ones and nothing of the batch is applied
// (a batch is atomic), its other lines judged against the records as
// they are: the add of the subject whose cancel was refused is no
// out-of-order add after a cancel. Pushed alone each is refused with its
// code, and in a round the operation pushed beside them is applied.
func TestCancelWithoutActiveRecord(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		e := mustEntry(t, db, f.hj)
		p1, p2, p3, p4, p9 := recordstest.CitizenID(1), recordstest.CitizenID(2), recordstest.CitizenID(3),
			recordstest.CitizenID(4), recordstest.CitizenID(9)
		if res := f.push(f.pusher, f.hj, line("add", p1, monday, map[string]string{"姓名": "甲"}, "")+
			line("add", p2, monday, map[string]string{"姓名": "乙"}, "")+
			line("cancel", p1, monday.Add(time.Minute), nil, ""), records.Options{}); res.Applied != 3 {
			t.Fatalf("setup: %+v", res)
		}
		versions := f.count("record_versions")
		unchanged := func(what string) {
			t.Helper()
			if n := f.count("record_versions"); n != versions {
				t.Errorf("%s: %d versions, want %d", what, n, versions)
			}
			if h, err := records.History(f.ctx, db.Read(), e, p1); err != nil || len(h) != 2 {
				t.Errorf("%s: history of the cancelled record %d versions, %v; want its add and cancel", what, len(h), err)
			}
			if _, err := records.Get(f.ctx, db.Read(), e, p9); code(err) != "record_not_found" {
				t.Errorf("%s: record never added: %v, want record_not_found", what, err)
			}
			if r, err := records.Get(f.ctx, db.Read(), e, p2); err != nil || r.Values["姓名"] != "乙" || r.Version != 1 {
				t.Errorf("%s: neighbour %+v, %v; want version 1 named 乙", what, r, err)
			}
		}

		later := monday.Add(time.Hour)
		res := f.pushRefused(line("add", p3, later, map[string]string{"姓名": "丙"}, "") +
			line("cancel", p9, later, nil, "") +
			line("cancel", p1, later, nil, "") +
			line("change", p2, later, map[string]string{"姓名": "乙乙"}, "") +
			line("add", p9, later, map[string]string{"姓名": "壬"}, ""))
		if res.RejectedCount != 2 || len(res.Rejected) != 2 || res.Applied != 0 ||
			res.Rejected[0].Line != 2 || res.Rejected[0].Code != "record_not_found" ||
			res.Rejected[1].Line != 3 || res.Rejected[1].Code != "record_cancelled" {
			t.Errorf("batch: %+v, want line 2 record_not_found and line 3 record_cancelled alone, nothing applied", res)
		}
		unchanged("batch")
		if _, err := records.Get(f.ctx, db.Read(), e, p3); code(err) != "record_not_found" {
			t.Errorf("add of the refused batch: %v, want record_not_found", err)
		}

		p := records.NewPushes(db, nil, func() time.Time { return f.receivedAt })
		for _, c := range []struct{ subject, code string }{{p9, "record_not_found"}, {p1, "record_cancelled"}} {
			res, err := p.Push(f.pusher, f.hj, records.Op{Op: "cancel", SubjectID: c.subject, ProducedAt: later, Key: "alone-" + c.subject})
			if e := errs.As(err); e == nil || e.Code != c.code || e.Kind != errs.Conflict || res.Applied != 0 {
				t.Errorf("cancel of %s pushed alone: %+v, %v; want 409 %s", c.subject, res, err, c.code)
			}
		}
		unchanged("pushed alone")

		results, errors := f.round(p, []records.Op{
			{Op: "cancel", SubjectID: p9, ProducedAt: later, Key: "round-9"},
			{Op: "cancel", SubjectID: p1, ProducedAt: later, Key: "round-1"},
			{Op: "add", SubjectID: p4, ProducedAt: later, Values: map[string]string{"姓名": "丁"}, Key: "round-4"},
		})
		for i, want := range []string{"record_not_found", "record_cancelled"} {
			if e := errs.As(errors[i]); e == nil || e.Code != want {
				t.Errorf("round: cancel %d: %+v, %v; want %s", i, results[i], errors[i], want)
			}
		}
		if errors[2] != nil || results[2].Applied != 1 {
			t.Errorf("round: add beside the refused cancels: %+v, %v; want applied", results[2], errors[2])
		}
		versions += 2 // the round's leading add and the add beside the cancels
		unchanged("round")
	})
}
