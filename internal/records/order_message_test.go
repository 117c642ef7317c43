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

// TestOutOfOrderSaysWhatIsNewer: a batch line older than an earlier line
// of the same record is refused out_of_order naming that line and its
// time (本批次第 1 行 … 08:20), where it called the earlier line's time
// the record's current version's (08:02, the stored one); a line older
// than the stored version still names the current version and its time.
// An earlier line in an earlier chunk of the batch, whose number is not
// kept, is named as an earlier line of the batch. On both engines.
func TestOutOfOrderSaysWhatIsNewer(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p1 := recordstest.CitizenID(1)
		at := func(h, m int) time.Time {
			return monday.Add(time.Duration(h-10)*time.Hour + time.Duration(m)*time.Minute)
		}
		f.push(f.pusher, f.hj, line("add", p1, at(8, 2), map[string]string{"姓名": "张三", "户籍地址": "A1"}, ""), records.Options{})
		reason := func(what, lines string, line int) string {
			t.Helper()
			res := f.pushRefused(lines)
			if res.RejectedCount != 1 || res.Rejected[0].Code != "out_of_order" || res.Rejected[0].Line != line {
				t.Fatalf("%s: %+v, want line %d refused out_of_order", what, res, line)
			}
			return res.Rejected[0].Reason
		}

		r := reason("older than an earlier line", line("change", p1, at(8, 20), map[string]string{"户籍地址": "A2"}, "")+
			line("change", p1, at(8, 10), map[string]string{"户籍地址": "A3"}, ""), 2)
		if !strings.Contains(r, "本批次第 1 行同一记录（"+p1+"）的操作产生于 2026-03-02 08:20:00（北京时间），") || strings.Contains(r, "当前版本") ||
			!strings.Contains(r, "2026-03-02 08:10:00") {
			t.Errorf("older than line 1 of the batch: reason %q, want line 1 and its time 08:20 named, not the current version", r)
		}

		r = reason("older than the stored version", line("change", p1, at(8, 1), map[string]string{"户籍地址": "A4"}, ""), 1)
		if !strings.Contains(r, "记录（"+p1+"）的当前版本产生于 2026-03-02 08:02:00（北京时间），") || strings.Contains(r, "本批次") {
			t.Errorf("older than the stored version: reason %q, want the current version and 08:02 named", r)
		}

		// The earlier line in an earlier chunk: more lines between than any
		// chunk holds.
		var b strings.Builder
		b.WriteString(line("change", p1, at(8, 20), map[string]string{"户籍地址": "A2"}, ""))
		const between = 5001
		for i := range between {
			b.WriteString(line("add", recordstest.CitizenID(100+i), at(8, 0), map[string]string{"姓名": "李四"}, ""))
		}
		b.WriteString(line("change", p1, at(8, 10), map[string]string{"户籍地址": "A3"}, ""))
		r = reason("older than a line of an earlier chunk", b.String(), between+2)
		if !strings.Contains(r, "本批次中较早一行同一记录（"+p1+"）的操作产生于 2026-03-02 08:20:00（北京时间），") || strings.Contains(r, "当前版本") {
			t.Errorf("older than a line of an earlier chunk: reason %q, want an earlier line of the batch and 08:20 named", r)
		}

		// Pushed one at a time, in one round: the other push is named, not
		// a line of a batch the pusher never sent.
		pushes := records.NewPushes(db, nil, func() time.Time { return f.receivedAt })
		change := func(m int, addr string) records.Op {
			return records.Op{Op: "change", SubjectID: p1, ProducedAt: at(8, m), Values: map[string]string{"户籍地址": addr}}
		}
		_, errors := f.round(pushes, []records.Op{change(40, "A5"), change(30, "A6")})
		if errors[0] != nil {
			t.Fatalf("first push of the round: %v", errors[0])
		}
		e := errs.As(errors[1])
		if e == nil || e.Code != "out_of_order" || !strings.Contains(e.Message, "同时推送的同一记录（"+p1+"）的另一操作产生于 2026-03-02 08:40:00（北京时间），") ||
			strings.Contains(e.Message, "本批次") {
			t.Errorf("older than another push of the round: %v, want out_of_order naming the other push and 08:40", errors[1])
		}
	})
}
