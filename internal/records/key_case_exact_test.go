package records_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestJSONLineKeyCaseChecksExactFields: a key naming a field in another
// case is unknown_field only, and the line's fields are read from their
// exact keys: encoding/json took Op, Subject_id and Values for op,
// subject_id and values, so a change was checked as the cancel its Op
// said (values_not_allowed), a valid subject_id as Subject_id's 1
// (invalid_citizen_id), and a line whose values came only under Values
// was not told it has none (missing_values).
func TestJSONLineKeyCaseChecksExactFields(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		a := `"subject_id":"` + recordstest.CitizenID(1) + `"`
		at := `"produced_at":"2026-03-02T10:00:00+08:00"`
		body := `{"op":"add",` + a + `,` + at + `,"values":{"姓名":"张三"},"Op":"cancel"}` + "\n" +
			`{"op":"add",` + a + `,` + at + `,"values":{"姓名":"张三"},"Subject_id":"1"}` + "\n" +
			`{"op":"add",` + a + `,` + at + `,"Values":{"姓名":"张三"}}` + "\n" +
			`{"Op":"cancel","op":"add",` + a + `,` + at + `,"values":{"姓名":"张三"}}` + "\n"
		res := f.push(f.pusher, f.hj, body, records.Options{})
		want := "1:unknown_field:Op 2:unknown_field:Subject_id 3:unknown_field:Values 3:missing_values:values 4:unknown_field:Op"
		if g := refusals(res); g != want {
			t.Errorf("refused\n%s\nwant\n%s", g, want)
		}
		if res.Applied != 0 || res.RejectedLines != 4 {
			t.Errorf("applied %d, %d refused lines; want 0, 4", res.Applied, res.RejectedLines)
		}
	})
}
