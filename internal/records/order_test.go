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

// TestOlderOperationRefused: a new operation produced before the record's
// current version (a retry queued behind later ones) is refused
// (out_of_order) and changes nothing when it would change data: a change,
// a cancel, an add after a cancel. A change to the values the record
// holds replaces nothing: however old (a time rounded to the minute or
// the day in a CSV export), it is acknowledged unchanged and its key kept.
// One produced at the same time is applied; an operation applied before,
// resent, is still a duplicate. In a batch, a record's lines are checked
// in line order: one older than an earlier line of the record refuses the
// batch, unless it changes nothing.
func TestOlderOperationRefused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p1, p2 := recordstest.CitizenID(1), recordstest.CitizenID(2)
		at := func(h, m int) time.Time {
			return monday.Add(time.Duration(h-10)*time.Hour + time.Duration(m)*time.Minute)
		}
		add := line("add", p1, at(8, 0), map[string]string{"姓名": "张三", "户籍地址": "A1"}, "")
		newer := line("change", p1, at(9, 0), map[string]string{"户籍地址": "A1-v2"}, "")
		f.push(f.pusher, f.hj, add+newer, records.Options{})
		current := func(want string, version int) {
			t.Helper()
			r, err := records.Get(f.ctx, db.Read(), mustEntry(t, db, f.hj), p1)
			if err != nil || r.Values["户籍地址"] != want || r.Version != version {
				t.Errorf("record: %s version %d (%s), %v; want %s version %d", r.Values["户籍地址"], r.Version, r.Status, err, want, version)
			}
		}
		refused := func(what, lines string, line int) {
			t.Helper()
			res := f.pushRefused(lines)
			if res.RejectedCount != 1 || res.Rejected[0].Code != "out_of_order" || res.Rejected[0].Line != line ||
				res.Rejected[0].Field != "produced_at" || res.Applied != 0 {
				t.Errorf("%s: %+v, want line %d refused out_of_order, nothing applied", what, res, line)
			}
		}

		refused("an older change", line("change", p1, at(8, 30), map[string]string{"户籍地址": "A1-v-older"}, ""), 1)
		res := f.pushRefused(line("change", p1, at(8, 30), map[string]string{"户籍地址": "A1-v-older"}, ""))
		if reason := res.Rejected[0].Reason; !strings.Contains(reason, "2026-03-02 09:00:00") || !strings.Contains(reason, "2026-03-02 08:30:00") {
			t.Errorf("reason %q does not name both times", reason)
		}
		refused("an older change to a value the record holds and one it does not",
			line("change", p1, at(8, 30), map[string]string{"户籍地址": "A1-v2", "姓名": "张四"}, ""), 1)
		refused("an older cancel", line("cancel", p1, at(8, 59), nil, ""), 1)
		// The values the record holds, sent again at a time rounded to the
		// day (a nightly export): unchanged, its key kept.
		same := line("change", p1, at(0, 0), map[string]string{"户籍地址": "A1-v2", "姓名": "张三"}, "export-1")
		if res := f.push(f.pusher, f.hj, same, records.Options{}); res.Unchanged != 1 || res.Applied != 0 || res.RejectedCount != 0 {
			t.Errorf("an older change to the values the record holds: %+v, want unchanged", res)
		}
		if n := f.count("record_unchanged_keys"); n != 1 {
			t.Errorf("%d unchanged keys kept, want 1", n)
		}
		if res := f.push(f.pusher, f.hj, same, records.Options{}); res.Duplicates != 1 || res.RejectedCount != 0 {
			t.Errorf("the unchanged change resent: %+v, want a duplicate", res)
		}
		current("A1-v2", 2)

		// Resent, the operations applied before are duplicates.
		if res := f.push(f.pusher, f.hj, add+newer, records.Options{}); res.Duplicates != 2 || res.RejectedCount != 0 {
			t.Errorf("resent: %+v, want 2 duplicates", res)
		}
		// At the same time: applied.
		if res := f.push(f.pusher, f.hj, line("change", p1, at(9, 0), map[string]string{"户籍地址": "A1-v3"}, ""), records.Options{}); res.Applied != 1 {
			t.Errorf("a change produced at the same time: %+v, want applied", res)
		}
		current("A1-v3", 3)

		// Cancelled, the record takes no older add.
		f.push(f.pusher, f.hj, line("cancel", p1, at(10, 0), nil, ""), records.Options{})
		refused("an add older than the cancel", line("add", p1, at(9, 30), map[string]string{"姓名": "张三", "户籍地址": "A0"}, ""), 1)
		if res := f.push(f.pusher, f.hj, line("add", p1, at(10, 5), map[string]string{"姓名": "张三", "户籍地址": "A2"}, ""), records.Options{}); res.Applied != 1 {
			t.Errorf("an add after the cancel: %+v, want applied", res)
		}
		current("A2", 5)

		// In a batch: line order, per record.
		lines := line("add", p2, at(8, 0), map[string]string{"姓名": "李四", "户籍地址": "B1"}, "") +
			line("change", p1, at(10, 10), map[string]string{"户籍地址": "A3"}, "") +
			line("change", p2, at(9, 0), map[string]string{"户籍地址": "B2"}, "") +
			line("change", p2, at(8, 30), map[string]string{"户籍地址": "B-older"}, "")
		refused("a batch with a record's lines out of order", lines, 4)
		current("A2", 5)
		if n := f.count("record_versions"); n != 5 {
			t.Errorf("%d versions after the refused batch, want 5", n)
		}
		without := lines[:strings.LastIndex(lines[:len(lines)-1], "\n")+1]
		if res := f.push(f.pusher, f.hj, without+line("change", p2, at(8, 30), map[string]string{"户籍地址": "B2"}, ""),
			records.Options{}); res.Applied != 3 || res.Unchanged != 1 || res.RejectedCount != 0 {
			t.Errorf("the batch with its older line changing nothing: %+v, want 3 applied, 1 unchanged", res)
		}
	})
}

// TestOlderOperationPushedRefused: pushed one at a time, an operation older
// than the record's current version is refused as a conflict
// (out_of_order), its neighbours in the round applied; one that changes
// nothing is acknowledged unchanged.
func TestOlderOperationPushedRefused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p := records.NewPushes(db, nil, func() time.Time { return f.receivedAt })
		p1 := recordstest.CitizenID(1)
		op := func(kind string, produced time.Time, addr string) records.Op {
			return records.Op{Op: kind, SubjectID: p1, ProducedAt: produced, Values: map[string]string{"户籍地址": addr}}
		}
		for _, o := range []records.Op{op("add", monday, "A1"), op("change", monday.Add(time.Hour), "A1-v2")} {
			if _, err := p.Push(f.pusher, f.hj, o); err != nil {
				t.Fatal(err)
			}
		}
		_, err := p.Push(f.pusher, f.hj, op("change", monday.Add(30*time.Minute), "A1-v-older"))
		if e := errs.As(err); e == nil || e.Code != "out_of_order" || e.Kind != errs.Conflict {
			t.Errorf("older change pushed: %v, want conflict out_of_order", err)
		}
		// The value the record holds, sent again stamped before its
		// version: unchanged.
		if res, err := p.Push(f.pusher, f.hj, op("change", monday.Add(time.Hour-30*time.Second), "A1-v2")); err != nil || res.Unchanged != 1 {
			t.Errorf("an older change to the value the record holds, pushed: %+v %v, want unchanged", res, err)
		}
		r, err := records.Get(f.ctx, db.Read(), mustEntry(t, db, f.hj), p1)
		if err != nil || r.Values["户籍地址"] != "A1-v2" || r.Version != 2 {
			t.Errorf("record: %+v, %v; want A1-v2 version 2", r, err)
		}
	})
}
