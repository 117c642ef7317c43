package api_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestOpDuplicateKey: an operation pushed on its own that names a field
// twice is refused 400 duplicate_field, and one that names an item twice
// in its values 400 duplicate_item, each naming it, as a line of a batch
// is, where api.Decode answered malformed_json; nothing is stored. A
// field named again in another case (OP) names no field: 400
// unknown_field.
func TestOpDuplicateKey(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		ops := "/api/v1/records/entries/" + itoa(rf.entryA) + "/ops"
		a, b := recordstest.CitizenID(7100), recordstest.CitizenID(7101)
		at := `"produced_at":"` + beijing(rf.clock.Now()) + `"`
		for _, c := range []struct{ body, code, field string }{
			{`{"op":"add","subject_id":"` + a + `","subject_id":"` + b + `",` + at + `,"values":{"姓名":"张三"}}`, "duplicate_field", "subject_id"},
			{`{"op":"add","OP":"change","subject_id":"` + a + `",` + at + `,"values":{"姓名":"张三"}}`, "unknown_field", "OP"},
			{`{"op":"add","subject_id":"` + a + `",` + at + `,"values":{"姓名":"第一个","姓名":"第二个"}}`, "duplicate_item", "姓名"},
		} {
			r := rf.do(t, "POST", ops, rf.gaKey, c.body)
			if r.status != 400 || r.body["code"] != c.code || r.body["field"] != c.field {
				t.Errorf("%s: got %d %v, want 400 %s on %s", c.body, r.status, r.body, c.code, c.field)
			}
		}
		if n := rf.countWhere(t, `SELECT count(*) FROM record_versions`); n != 0 {
			t.Errorf("refused operations stored %d versions", n)
		}
	})
}
