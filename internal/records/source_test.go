package records_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestJSONLinesBOM: a JSON-lines batch that starts with a UTF-8 byte
// order mark, as Windows editors save one, is read as without it, as a
// CSV batch and the catalog's JSON lines are; a mark anywhere else is
// still malformed (and the batch, refused, changes nothing).
func TestJSONLinesBOM(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p1, p2 := recordstest.CitizenID(1), recordstest.CitizenID(2)
		for _, c := range []struct{ name, lines string }{
			{"first line", "\ufeff" + line("add", p1, monday, map[string]string{"姓名": "甲"}, "")},
			{"blank first line", "\ufeff\n" + line("add", p2, monday, map[string]string{"姓名": "乙"}, "")},
		} {
			if res := f.push(f.pusher, f.hj, c.lines, records.Options{}); res.Applied != 1 || res.RejectedCount != 0 {
				t.Errorf("%s: %+v, want applied", c.name, res)
			}
		}
		res := f.push(f.pusher, f.hj, line("change", p1, monday, map[string]string{"姓名": "丙"}, "")+
			"\ufeff"+line("change", p2, monday, map[string]string{"姓名": "丁"}, ""), records.Options{})
		if res.Applied != 0 || res.RejectedCount != 1 || res.Rejected[0].Line != 2 || res.Rejected[0].Code != "malformed_json" {
			t.Errorf("a mark on line 2: %+v, want line 2 malformed_json", res)
		}
		if r, err := records.Get(f.ctx, db.Read(), mustEntry(t, db, f.hj), p1); err != nil || r.Values["姓名"] != "甲" {
			t.Errorf("record = %+v, %v", r, err)
		}
	})
}

// TestJSONLinesBOMAlone: the source itself reads the first line after a
// mark, and numbers the lines as before.
func TestJSONLinesBOMAlone(t *testing.T) {
	src := records.JSONLines(strings.NewReader("\ufeff\r\n" + `{"op":"cancel","subject_id":"x","produced_at":"2026-03-02"}` + "\n"))
	var op records.Op
	if n, err := src.Next(&op); err != nil || n != 2 || op.Op != "cancel" || op.SubjectID != "x" {
		t.Errorf("Next = %d, %v, %+v", n, err, op)
	}
}

// TestJSONLinesInvalidText: a line whose text encoding/json would make
// U+FFFD of (a byte that is not UTF-8, a lone escaped surrogate) is a
// refused line naming the field, the lines around it read as before; an
// escaped pair is the character it encodes.
func TestJSONLinesInvalidText(t *testing.T) {
	const head = `{"op":"add","subject_id":"x","produced_at":"2026-03-02","values":{"姓名":`
	src := records.JSONLines(strings.NewReader(head + "\"甲\xff\"}}\n" + head + `"\ud800乙"}}` + "\n" +
		head + `"\udc00"}}` + "\n" + "{\"op\":\"cancel\",\"key\":\"k\xc3\x28\",\"subject_id\":\"x\",\"produced_at\":\"2026-03-02\"}" + "\n" +
		head + `"丙\ud83d\ude00"}}` + "\n"))
	for i, field := range []string{"姓名", "姓名", "姓名", "key"} {
		var op records.Op
		n, err := src.Next(&op)
		le, ok := err.(*records.LineError)
		if n != i+1 || !ok || le.Line != i+1 || le.Code != "invalid_text" || le.Field != field || !strings.Contains(le.Reason, field) {
			t.Errorf("line %d: Next = %d, %v, want invalid_text of %s", i+1, n, err, field)
		}
	}
	var op records.Op
	if n, err := src.Next(&op); err != nil || n != 5 || op.Values["姓名"] != "丙😀" {
		t.Errorf("line 5: Next = %d, %v, %+v, want 丙😀", n, err, op)
	}
}
