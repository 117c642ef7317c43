package records_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCrossCheckFoldsLookalikes: two values that show the same characters
// are no discrepancy (text.Fold): a zero-width space inside a name, a
// leading BOM, a CJK compatibility ideograph (U+F9D1 for 六) and the
// middle dot's variants (U+30FB, U+2022 for U+00B7). Before, each opened
// one. A discrepancy opened before between two such values is closed by
// the next sweep, as one whose values came to agree (两个数源的值已一致).
func TestCrossCheckFoldsLookalikes(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		f.nameSource(f.hj)
		pairs := []struct{ hj, sb string }{
			{"李华", "李\u200b华"},
			{"\ufeff王𬀩", "王𬀩"},
			{"王\u516d", "王\uf9d1"},
			{"买买提·艾力", "买买提・艾力"},
			{"买买提・艾力", "买买提•艾力"},
		}
		for i, p := range pairs {
			s := recordstest.CitizenID(i + 1)
			f.push(f.pusher, f.hj, line("add", s, monday, map[string]string{"姓名": p.hj}, ""), records.Options{})
			f.push(f.rsjPusher, f.sb, line("add", s, monday, map[string]string{"姓名": p.sb}, ""), records.Options{})
			if live := f.live(s); len(live) != 0 {
				t.Errorf("%q and %q: discrepancies %+v, want none", p.hj, p.sb, live)
			}
		}

		// A discrepancy open between two values that differ (李华, 李四)
		// until one is made a lookalike of the other behind the
		// comparison's back, as values compared before Fold were.
		s := recordstest.CitizenID(len(pairs) + 1)
		f.push(f.pusher, f.hj, line("add", s, monday, map[string]string{"姓名": "李华"}, ""), records.Options{})
		f.push(f.rsjPusher, f.sb, line("add", s, monday, map[string]string{"姓名": "李四"}, ""), records.Options{})
		live := f.live(s)
		if len(live) != 1 {
			t.Fatalf("李华 and 李四: discrepancies %+v, want one", live)
		}
		f.tamper(f.sb, s, "李\u200b华")
		f.sweep()
		if l := f.live(s); len(l) != 0 {
			t.Errorf("after the sweep: discrepancies not closed %+v, want none", l)
		}
		if d := f.get(live[0].ID); d.Status != "resolved" || d.Resolution != "两个数源的值已一致" {
			t.Errorf("after the sweep: %s %q, want resolved 两个数源的值已一致", d.Status, d.Resolution)
		}
	})
}
