package records_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestWithholdHidesTheOtherEntry: where the reader may not read the other
// entry of a disputed item, the read does not tell of the dispute at all:
// not the discrepancy, the other entry, its item or value, nor that the
// item is disputed, which told that the subject has a record in an entry
// the reader may not read (where before it said the item was disputed,
// other_value_withheld). The entry's source department, a party, sees its
// discrepancies, but not a value of an entry it may not read, where it
// was shown every value. On both engines.
func TestWithholdHidesTheOtherEntry(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		f.nameSource(f.hj)
		mzj := recordstest.Department(t, db, "民政局", 3)
		mz := recordstest.Entry(t, db, mzj, recordstest.Spec{Code: "420001/000001", Name: "低保对象信息", SubjectKind: "person",
			Items: []records.Item{{Name: "身份证号", Type: "C", IdentifiesSubject: true}, {Name: "姓名", Type: "C", Length: 10}}})
		p := recordstest.CitizenID(1)
		f.push(f.pusher, f.hj, line("add", p, monday, map[string]string{"姓名": "黄静芳"}, ""), records.Options{})
		f.push(f.rsjPusher, f.sb, line("add", p, monday, map[string]string{"姓名": "黄静某"}, ""), records.Options{})
		f.push(recordstest.Pusher(mzj), mz, line("add", p, monday, map[string]string{"姓名": "黄静甲"}, ""), records.Options{})
		refuse := func(int64, string) error { return errs.E(errs.Forbidden, "not_shared", "不予共享") }
		read := func(entry, reader int64, may func(int64, string) error) ([]records.DisputedItem, []records.DisputedItem) {
			t.Helper()
			e, err := records.LoadEntry(f.ctx, db.Read(), entry)
			if err != nil {
				t.Fatal(err)
			}
			r, err := records.Get(f.ctx, db.Read(), e, p)
			if err != nil {
				t.Fatal(err)
			}
			shown, err := r.Withhold(f.ctx, db.Read(), e, reader, may)
			if err != nil {
				t.Fatal(err)
			}
			return r.Disputed, shown
		}
		// 社保's record, disputed by 户籍 (the named source) and 低保, read
		// by a department that may read neither.
		dis, shown := read(f.sb, f.gaj, refuse)
		if len(dis) != 0 || len(shown) != 0 {
			t.Errorf("社保 read by another department: disputed %+v shown %+v, want none", dis, shown)
		}
		// 户籍's record, the authoritative one, disputed by 社保 and 低保.
		if dis, _ = read(f.hj, f.rsj, refuse); len(dis) != 0 {
			t.Errorf("户籍 read by another department: disputed %+v, want none", dis)
		}

		// A reader who may read 户籍 but not 低保 sees the one in full.
		mayHJ := func(dept int64, _ string) error {
			if dept == f.gaj {
				return nil
			}
			return refuse(dept, "")
		}
		dis, shown = read(f.sb, mzj, mayHJ)
		if len(dis) != 1 || len(shown) != 1 || shown[0].OtherEntryID != f.hj || shown[0].OtherValue != "黄静芳" || dis[0] != shown[0] {
			t.Fatalf("社保 read by a department that may read 户籍: disputed %+v shown %+v, want 户籍's alone", dis, shown)
		}

		// The source department, a party, sees its discrepancies and
		// their other sides, but a value only of an entry it may read:
		// where it may read neither, no other value is served.
		dis, shown = read(f.sb, f.rsj, refuse)
		if len(dis) != 2 || len(shown) != 0 {
			t.Fatalf("社保 read by its own department, which may read neither: disputed %+v shown %+v", dis, shown)
		}
		for _, d := range dis {
			if !d.Withheld || d.OtherValue != "" || d.DiscrepancyID == 0 || d.OtherEntryID == 0 || d.OtherItem != "姓名" {
				t.Errorf("社保 read by its own department: %+v, want the discrepancy and its other side, the value withheld", d)
			}
		}
		dis, shown = read(f.sb, f.rsj, mayHJ)
		if len(dis) != 2 || len(shown) != 1 || shown[0].OtherValue != "黄静芳" || dis[0].Withheld == dis[1].Withheld {
			t.Errorf("社保 read by its own department, which may read 户籍: disputed %+v shown %+v", dis, shown)
		}

		// Resolved for 户籍, 社保's value awaits correction: still told
		// only to a reader who may read 户籍.
		for _, d := range f.live(p) {
			if d.EntryA == f.sb && d.EntryB == f.hj || d.EntryA == f.hj && d.EntryB == f.sb {
				if _, err := f.resolve(records.Reviewer{Actor: f.pusher.Actor, DepartmentID: f.gaj}, d.ID, 0); err != nil {
					t.Fatal(err)
				}
			}
		}
		if dis, _ = read(f.sb, mzj, refuse); len(dis) != 0 {
			t.Errorf("社保 after the resolution, read by a department that may read neither: %+v, want none", dis)
		}
		dis, _ = read(f.sb, mzj, mayHJ)
		if len(dis) != 1 || dis[0].Status != "awaiting_correction" || dis[0].OtherEntryID != f.hj {
			t.Errorf("社保 after the resolution, read by a department that may read 户籍: %+v, want 户籍's awaiting correction", dis)
		}
	})
}
