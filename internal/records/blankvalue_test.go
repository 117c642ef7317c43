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

// TestInvisibleValueIsEmpty: a value of characters that show nothing (a
// zero-width space, a BOM, a Hangul filler, with or without spaces) is no
// value, as one of spaces is (text.Blank): an add holding only such
// values is refused with missing_values, in a batch and pushed alone, and
// a change giving one clears the item, as "   " does, rather than
// replacing a name with nothing visible. Before, "\u200b" made a record
// (201) and "\ufeff" replaced a real name.
func TestInvisibleValueIsEmpty(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p1 := recordstest.CitizenID(1)
		for _, v := range []string{"\u200b", "\ufeff", "\u3164", " \u200b\u3000"} {
			res := f.pushRefused(line("add", p1, monday, map[string]string{"姓名": v}, ""))
			if res.RejectedCount != 1 || res.Rejected[0].Code != "missing_values" {
				t.Errorf("add of %q: %+v, want missing_values", v, res)
			}
			p := records.NewPushes(db, nil, func() time.Time { return f.receivedAt })
			_, err := p.Push(f.pusher, f.hj, records.Op{Op: "add", SubjectID: p1, ProducedAt: monday, Values: map[string]string{"姓名": v}})
			if e := errs.As(err); e == nil || e.Code != "missing_values" {
				t.Errorf("add of %q pushed alone: %v, want missing_values", v, err)
			}
		}
		if n := f.count("record_versions"); n != 0 {
			t.Fatalf("%d versions written, want none", n)
		}

		f.push(f.pusher, f.hj, line("add", p1, monday, map[string]string{"姓名": "李华", "出生日期": "1960-01-02"}, ""), records.Options{})
		f.push(f.pusher, f.hj, line("change", p1, monday.Add(time.Minute), map[string]string{"姓名": "\ufeff"}, ""), records.Options{})
		r, err := records.Get(f.ctx, db.Read(), mustEntry(t, db, f.hj), p1)
		if _, held := r.Values["姓名"]; err != nil || held || r.Values["出生日期"] != "1960-01-02" {
			t.Errorf("after a change of 姓名 to a BOM: %+v, %v; want 姓名 cleared, 出生日期 kept", r.Values, err)
		}
	})
}

// TestCSVInvisibleCellNotGiven: in CSV a cell of characters that show
// nothing (a zero-width space, a BOM) is not given, as a cell of spaces
// is: a change leaves that item as it is. Before, such a cell was given
// and cleared the item (a CSV file cannot clear a value).
func TestCSVInvisibleCellNotGiven(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p1 := recordstest.CitizenID(1)
		f.push(f.pusher, f.hj, line("add", p1, monday, map[string]string{"姓名": "李华", "出生日期": "1960-01-02"}, ""), records.Options{})
		body := "op,subject_id,produced_at,姓名,出生日期\n" +
			"change," + p1 + ",2026-03-02 11:00:00,\u200b,1960-01-03\n" +
			"change," + p1 + ",2026-03-02 11:01:00,\ufeff \u3164,1960-01-04\n"
		res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader(body)), f.receivedAt, records.Options{})
		if err != nil || res.Applied != 2 {
			t.Fatalf("CSV changes: %+v, %v; want 2 applied", res, err)
		}
		r, err := records.Get(f.ctx, db.Read(), mustEntry(t, db, f.hj), p1)
		if err != nil || r.Values["姓名"] != "李华" || r.Values["出生日期"] != "1960-01-04" {
			t.Errorf("record: %+v, %v; want 姓名 李华 kept, 出生日期 1960-01-04", r.Values, err)
		}
	})
}
