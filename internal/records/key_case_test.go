package records_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestJSONLineKeyCase: a line naming a field in another case
// (Subject_ID, OP), which encoding/json took for the field, is refused
// unknown_field naming the key as written, as a key naming no field is,
// beside the field too (op and OP: encoding/json kept the last); nothing
// is stored.
func TestJSONLineKeyCase(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		e := mustEntry(t, db, f.hj)
		a := recordstest.CitizenID(1)
		at := `"produced_at":"2026-03-02T10:00:00+08:00"`
		for _, tc := range []struct{ line, field string }{
			{`{"op":"add","Subject_ID":"` + a + `",` + at + `,"values":{"姓名":"张三"}}`, "Subject_ID"},
			{`{"OP":"add","subject_id":"` + a + `",` + at + `,"values":{"姓名":"张三"}}`, "OP"},
			{`{"op":"add","OP":"change","subject_id":"` + a + `",` + at + `,"values":{"姓名":"张三"}}`, "OP"},
		} {
			res := f.push(f.pusher, f.hj, tc.line+"\n", records.Options{})
			if res.Applied != 0 || res.RejectedLines != 1 {
				t.Errorf("%s: applied %d, refused %+v; want refused", tc.line, res.Applied, res.Rejected)
				continue
			}
			found := false
			for _, r := range res.Rejected {
				found = found || r.Line == 1 && r.Code == "unknown_field" && r.Field == tc.field && strings.Contains(r.Reason, tc.field)
			}
			if !found {
				t.Errorf("%s: refused %+v, want line 1 unknown_field %s", tc.line, res.Rejected, tc.field)
			}
		}
		if _, err := records.Get(f.ctx, db.Read(), e, a); err == nil {
			t.Errorf("a record of %s was stored", a)
		}
	})
}
