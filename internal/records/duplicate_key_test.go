package records_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDuplicateKey: an operation naming a field twice is refused as
// duplicate_field, and one naming an item twice in its values as
// duplicate_item, naming it, where encoding/json kept the last one (a
// change of A's record changed B's); nothing is stored. The lines the
// fast path reads and those encoding/json reads (an escape, a number)
// alike. A field named again in another case (OP) names no field:
// TestJSONLineKeyCase.
func TestDuplicateKey(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		e := mustEntry(t, db, f.hj)
		a, b := recordstest.CitizenID(1), recordstest.CitizenID(2)
		if res := f.push(f.pusher, f.hj, people(1, 3), records.Options{}); res.Applied != 2 {
			t.Fatalf("add: %+v", res)
		}
		at := `"produced_at":"2026-03-02T10:00:00+08:00"`
		c := recordstest.CitizenID(3)
		for _, tc := range []struct {
			line, code, field string
		}{
			{`{"op":"change","subject_id":"` + a + `","subject_id":"` + b + `",` + at + `,"values":{"姓名":"改"}}`, "duplicate_field", "subject_id"},
			{`{"op":"change","subject_id":"` + a + `","subject_\u0069d":"` + b + `",` + at + `,"values":{"姓名":"改"}}`, "duplicate_field", "subject_id"},
			{`{"op":"add","subject_id":"` + c + `",` + at + `,"values":{"姓名":"第一个","姓名":"第二个"}}`, "duplicate_item", "姓名"},
			{`{"op":"add","subject_id":"` + c + `",` + at + `,"values":{"姓名":"第一个","姓\u540d":"第二个"}}`, "duplicate_item", "姓名"},
			{`{"op":"add","op":"change","subject_id":"` + a + `",` + at + `,"values":{"姓名":"改"}}`, "duplicate_field", "op"},
			{`{"op":"add","subject_id":"` + c + `",` + at + `,"values":{"姓名":"甲"},"values":{"出生日期":"1990-01-01"}}`, "duplicate_field", "values"},
		} {
			res := f.push(f.pusher, f.hj, tc.line+"\n", records.Options{})
			if res.Applied != 0 || res.RejectedCount != 1 {
				t.Errorf("%s: applied %d, refused %+v; want refused", tc.line, res.Applied, res.Rejected)
				continue
			}
			if r := res.Rejected[0]; r.Line != 1 || r.Code != tc.code || r.Field != tc.field || !strings.Contains(r.Reason, "“"+tc.field+"”") {
				t.Errorf("%s: refused %+v, want line 1 %s %s", tc.line, r, tc.code, tc.field)
			}
		}
		for _, s := range []string{a, b} {
			if r, err := records.Get(f.ctx, db.Read(), e, s); err != nil || strings.HasPrefix(r.Values["姓名"], "改") || r.Version != 1 {
				t.Errorf("%s: %+v, %v; want unchanged", s, r, err)
			}
		}
		if _, err := records.Get(f.ctx, db.Read(), e, c); err == nil {
			t.Errorf("a record of %s was stored", c)
		}
	})
}
