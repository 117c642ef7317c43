package records_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCrossCheckByType: two entries giving one fact items of different
// types compare its values by the types, where their stored text was
// compared: a date and a date-time by the date-time's date in Beijing
// time, numbers (of types N, Y, I, B, F) as numbers, so that 1990-01-01
// and 1990-01-01T00:00:00+08:00, or 1000000 and 1e+06 (a float as it was
// stored), opened no discrepancy. Values that differ still open one, on
// arrival and in a sweep.
func TestCrossCheckByType(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		mz := recordstest.Department(t, db, "民政局", 3)
		a := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "101009/000001", Name: "人员信息甲", SubjectKind: "person",
			Items: []records.Item{{Name: "公民身份号码", Type: "C", IdentifiesSubject: true}, {Name: "出生日期", Type: "D"},
				{Name: "面积", Type: "I"}, {Name: "金额", Type: "N"}, {Name: "备注", Type: "C"}}})
		b := recordstest.Entry(t, db, mz, recordstest.Spec{Code: "303009/000001", Name: "人员信息乙", SubjectKind: "person",
			Items: []records.Item{{Name: "身份证号", Type: "C", IdentifiesSubject: true}, {Name: "出生日期", Type: "T"},
				{Name: "面积", Type: "F"}, {Name: "金额", Type: "B"}, {Name: "备注", Type: "C"}}})
		same, differ, resolved := recordstest.CitizenID(1), recordstest.CitizenID(2), recordstest.CitizenID(3)
		f.push(f.pusher, a, line("add", same, monday, map[string]string{"出生日期": "1990-01-01", "面积": "1000000", "金额": "0.1", "备注": "1"}, "")+
			line("add", differ, monday, map[string]string{"出生日期": "1990-01-01", "面积": "1000000", "金额": "12.5", "备注": "1"}, "")+
			line("add", resolved, monday, map[string]string{"面积": "1000000"}, ""), records.Options{})
		f.push(recordstest.Pusher(mz), b, line("add", same, monday, map[string]string{"出生日期": "1990-01-01 00:00", "面积": "1e6", "金额": "0.10", "备注": "1"}, "")+
			line("add", differ, monday, map[string]string{"出生日期": "1990-01-01T23:30:00Z", "面积": "1000000.5", "金额": "12.25", "备注": "1.0"}, "")+
			line("add", resolved, monday, map[string]string{"面积": "2000000"}, ""), records.Options{})
		for _, d := range f.live(same) {
			t.Errorf("same facts: discrepancy of %s: %q vs %q", d.ItemA, d.ValueA, d.ValueB)
		}
		got := map[string]bool{}
		for _, d := range f.live(differ) {
			got[d.ItemA] = true
		}
		if len(got) != 4 {
			t.Errorf("different facts: discrepancies of %v, want 出生日期 (1990-01-02 in Beijing), 面积, 金额 and 备注 (text)", got)
		}
		if l := f.live(resolved); len(l) != 1 {
			t.Fatalf("1000000 and 2000000: %+v, want one discrepancy", l)
		}
		// The float stored as it was before plain decimals (1e+06): a
		// sweep finds the two entries agree.
		if _, err := db.Write().ExecContext(f.ctx, `UPDATE record_versions SET vals = $3 WHERE entry_id = $1 AND seq =
			(SELECT max(seq) FROM record_versions WHERE entry_id = $1 AND subject_id = $2)`, b, resolved, `{"面积":"1e+06"}`); err != nil {
			t.Fatal(err)
		}
		if res := f.sweep(); res.Found != 0 || res.Resolved != 1 {
			t.Errorf("sweep: %+v, want the discrepancy of 1000000 and 1e+06 resolved and none found", res)
		}
		if l := f.live(resolved); len(l) != 0 {
			t.Errorf("after the sweep: %+v, want none", l)
		}
	})
}
