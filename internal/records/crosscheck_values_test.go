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

// TestClearedValueIsNoAgreement: a side that clears its value of a
// disputed item does not make the two values agree. The discrepancy
// stays open (the cleared side's value stored as none, its deadline
// kept), and setting the value again updates it rather than opening a new
// one with a fresh deadline; after a resolution, the side decided wrong
// clearing its value leaves it awaiting the correction, the resolution and
// feedback kept, on arrival and in a sweep. Only when both sides hold no
// value is it closed, with a note saying so, not 两个数源的值已一致. A new
// comparison with one side empty opens nothing. Before, one side empty
// closed the discrepancy as agreeing, by a push or a sweep.
func TestClearedValueIsNoAgreement(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p1, _, d1, _ := f.twoDisputedNames() // 户籍 黄静芳, 社保 黄静某
		d := d1[0]
		if d.EntryA != f.hj {
			t.Fatalf("entry_a = %d, want 户籍 %d", d.EntryA, f.hj)
		}
		at := func(m int) time.Time { return monday.Add(time.Duration(m) * time.Minute) }
		still := func(when, status, va, vb string) records.Discrepancy {
			t.Helper()
			live := f.live(p1)
			if len(live) != 1 || live[0].ID != d.ID || live[0].Status != status || !live[0].DueAt.Equal(d.DueAt) ||
				live[0].ValueA != va || live[0].ValueB != vb {
				t.Fatalf("%s: discrepancies not closed %+v, want only %d %s due %s with %q / %q", when, live, d.ID, status, d.DueAt, va, vb)
			}
			return live[0]
		}
		// 户籍 clears 姓名.
		f.push(f.pusher, f.hj, line("change", p1, at(1), map[string]string{"姓名": "", "出生日期": "1990-01-01"}, ""), records.Options{})
		still("户籍 cleared", "open", "", "黄静某")
		if got := f.get(d.ID); got.Resolution != "" || got.ResolvedAt != nil {
			t.Errorf("户籍 cleared: resolution %q at %v, want none", got.Resolution, got.ResolvedAt)
		}
		f.sweep()
		still("swept", "open", "", "黄静某")
		// and sets it again: the same discrepancy, its deadline kept.
		f.receivedAt = f.receivedAt.Add(24 * time.Hour)
		f.push(f.pusher, f.hj, line("change", p1, at(2), map[string]string{"姓名": "黄静芳"}, ""), records.Options{})
		still("户籍 set again", "open", "黄静芳", "黄静某")

		// 户籍, the source, rules; 社保 explains, then clears its value.
		gaj := records.Reviewer{Actor: f.pusher.Actor, DepartmentID: f.gaj}
		rsj := records.Reviewer{Actor: f.rsjPusher.Actor, DepartmentID: f.rsj}
		if _, err := f.resolve(gaj, d.ID, 0); err != nil {
			t.Fatal(err)
		}
		if err := db.Tx(f.ctx, func(tx *sqldb.Tx) error {
			_, err := records.Feedback(f.ctx, tx, rsj, d.ID, "正在核实", new(false), f.receivedAt)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		f.push(f.rsjPusher, f.sb, line("change", p1, at(3), map[string]string{"姓名": "", "参保人数": "3"}, ""), records.Options{})
		f.sweep()
		got := still("社保, decided wrong, cleared", "awaiting_correction", "黄静芳", "")
		if got.Authority != f.hj || got.Resolution != "以权威数源为准" || len(got.FeedbackHistory) != 1 {
			t.Errorf("after 社保 cleared: authority %d, resolution %q, feedback %+v; want %d, 以权威数源为准, 正在核实",
				got.Authority, got.Resolution, got.FeedbackHistory, f.hj)
		}
		if ds := f.disputes(f.sb, p1); len(ds) != 1 || ds[0].OtherValue != "黄静芳" {
			t.Errorf("社保's record read: disputed %+v, want 姓名 awaiting 黄静芳", ds)
		}

		// Both sides hold no value: nothing is left to dispute.
		f.push(f.pusher, f.hj, line("change", p1, at(4), map[string]string{"姓名": ""}, ""), records.Options{})
		if live := f.live(p1); len(live) != 0 {
			t.Fatalf("both cleared: %+v, want closed", live)
		}
		got = f.get(d.ID)
		if got.Status != "resolved" || got.Resolution != "以权威数源为准；两个数源均已无该项取值" || strings.Contains(got.Resolution, "已一致") {
			t.Errorf("both cleared: %s %q, want resolved 以权威数源为准；两个数源均已无该项取值", got.Status, got.Resolution)
		}

		// A subject one side holds no value of is not compared.
		p3 := recordstest.CitizenID(3)
		f.push(f.pusher, f.hj, line("add", p3, at(5), map[string]string{"出生日期": "1980-05-06"}, ""), records.Options{})
		f.push(f.rsjPusher, f.sb, line("add", p3, at(5), map[string]string{"姓名": "张三"}, ""), records.Options{})
		if res := f.sweep(); res.Found != 0 {
			t.Errorf("sweep found %d, want none", res.Found)
		}
		if live := f.live(p3); len(live) != 0 {
			t.Errorf("one side without 姓名: %+v, want no discrepancy", live)
		}
	})
}

// TestTextComparedWithoutWhiteSpace: text is compared as
// docs/records-push.md says, ignoring white space (any, anywhere: spaces
// inside, runs of them, the ideographic space U+3000, a no-break space)
// and the case of ASCII letters, full-width letters as their ASCII forms;
// other letters keep their case (Ä is no ä). The Kelvin sign U+212A is
// the letter K (Unicode NFKC, text.Fold), so k: until 2026-12-05 it
// differed, as strings.EqualFold had folded it before that. Before, only
// runs of spaces were one space, and strings.EqualFold folded Ｔｏｍ with
// ｔｏｍ but not with tom. A discrepancy opened before between two such
// values is closed by the next sweep as agreeing.
func TestTextComparedWithoutWhiteSpace(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		cases := []struct {
			hj, sb string
			differ bool
		}{
			{"李华", "李 华", false},
			{"李华", "李  华", false},
			{"李　华", "李华", false},
			{"李\u00a0华", "李华", false},
			{" 李华\t", "李华", false},
			{"Ｔｏｍ", "tom", false},
			{"Ｔｏｍ", "TOM", false},
			{"TOM LEE", "tomlee", false},
			{"\u212a", "k", false}, // the Kelvin sign
			{"Ä", "ä", true},
			{"李华", "李化", true},
		}
		var hj, sb strings.Builder
		for i, c := range cases {
			s := recordstest.CitizenID(10 + i)
			hj.WriteString(line("add", s, monday, map[string]string{"姓名": c.hj}, ""))
			sb.WriteString(line("add", s, monday, map[string]string{"姓名": c.sb}, ""))
		}
		f.push(f.pusher, f.hj, hj.String(), records.Options{})
		f.push(f.rsjPusher, f.sb, sb.String(), records.Options{})
		for i, c := range cases {
			if n := len(f.live(recordstest.CitizenID(10 + i))); (n == 1) != c.differ || n > 1 {
				t.Errorf("%q and %q: %d discrepancies, want differ %v", c.hj, c.sb, n, c.differ)
			}
		}

		// One opened before the comparison ignored these spaces.
		p := recordstest.CitizenID(30)
		f.push(f.pusher, f.hj, line("add", p, monday, map[string]string{"姓名": "王五"}, ""), records.Options{})
		f.push(f.rsjPusher, f.sb, line("add", p, monday, map[string]string{"姓名": "王　五"}, ""), records.Options{})
		var id int64
		if err := db.Write().QueryRowContext(f.ctx, `INSERT INTO record_discrepancies (subject_kind, item_key, subject_id,
			entry_a, entry_b, department_a, department_b, item_a, item_b, value_a, value_b, status, found_by, found_at, due_at)
			VALUES ('person', '姓名', $1, $2, $3, $4, $5, '姓名', '姓名', '王五', '王　五', 'open', 'sweep', $6, $7) RETURNING id`,
			p, f.hj, f.sb, f.gaj, f.rsj, f.receivedAt, f.receivedAt.Add(7*24*time.Hour)).Scan(&id); err != nil {
			t.Fatal(err)
		}
		if res := f.sweep(); res.Resolved != 1 {
			t.Errorf("sweep = %+v, want 1 resolved", res)
		}
		if d := f.get(id); d.Status != "resolved" || d.Resolution != "两个数源的值已一致" {
			t.Errorf("discrepancy opened before: %s %q, want resolved 两个数源的值已一致", d.Status, d.Resolution)
		}
	})
}

// TestOverdueForOwnSide: a discrepancy past its feedback deadline is
// overdue for a department only while its own side has not answered:
// 公安's list and count leave out the one it answered in time, though
// 人社 has not; 人社's and the operator's (either side) count it. Before,
// a department was counted overdue, and warned, for the other side's
// silence.
func TestOverdueForOwnSide(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		_, _, d1, d2 := f.twoDisputedNames()
		gaj := records.Reviewer{Actor: f.pusher.Actor, DepartmentID: f.gaj}
		var answered records.Discrepancy
		if err := db.Tx(f.ctx, func(tx *sqldb.Tx) error {
			var err error
			answered, err = records.Feedback(f.ctx, tx, gaj, d1[0].ID, "经核实，本局登记无误", new(false), f.receivedAt)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		late := d1[0].DueAt.Add(time.Hour)
		for _, c := range []struct {
			name string
			dept int64
			want int64
			// overdue in the list, of d1 and d2
			d1, d2 bool
		}{
			{"公安", f.gaj, 1, false, true},
			{"人社", f.rsj, 2, true, true},
			{"operator", 0, 2, true, true},
		} {
			filter := records.DiscrepancyFilter{DepartmentID: c.dept, Status: "open"}
			n, err := records.CountDiscrepancies(f.ctx, db.Read(), db.Dialect, filter, late)
			if err != nil {
				t.Fatal(err)
			}
			if n.Total != 2 || n.Overdue != c.want {
				t.Errorf("%s: counted %+v, want 2 of which %d overdue", c.name, n, c.want)
			}
			ds, _, err := records.Discrepancies(f.ctx, db.Read(), filter, late)
			if err != nil {
				t.Fatal(err)
			}
			over := map[int64]bool{}
			for _, d := range ds {
				over[d.ID] = d.Overdue
			}
			if len(ds) != 2 || over[d1[0].ID] != c.d1 || over[d2[0].ID] != c.d2 {
				t.Errorf("%s: listed overdue %v, want %d %v and %d %v", c.name, over, d1[0].ID, c.d1, d2[0].ID, c.d2)
			}
		}
		if answered.Overdue {
			t.Errorf("公安's feedback answered overdue, before the deadline")
		}
		if err := db.Tx(f.ctx, func(tx *sqldb.Tx) error {
			var err error
			answered, err = records.Feedback(f.ctx, tx, gaj, d1[0].ID, "补充说明", new(false), late)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if answered.Overdue {
			t.Errorf("公安's second feedback answered overdue for 公安, which has answered")
		}
	})
}
