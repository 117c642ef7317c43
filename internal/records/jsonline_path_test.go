package records_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestJSONLineTypeErrorPath: a field of the wrong type is named by its
// key as the line writes it, a capital letter and all (Subject_ID, which
// encoding/json matches to subject_id), as the reason says it.
func TestJSONLineTypeErrorPath(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		res := f.pushRefused(`{"op":"add","Subject_ID":110,"produced_at":"2026-03-02T10:00:00+08:00","values":{"姓名":"甲"}}` + "\n" +
			`{"op":"add","subject_id":"` + recordstest.CitizenID(1) + `","produced_At":1,"values":{"姓名":"乙"}}` + "\n")
		want := []records.LineError{
			{Line: 1, Code: "invalid_type", Field: "Subject_ID", Reason: "字段 Subject_ID 的类型应为字符串，实为数字"},
			{Line: 2, Code: "invalid_type", Field: "produced_At", Reason: "字段 produced_At 的类型应为字符串，实为数字"},
		}
		if len(res.Rejected) != len(want) {
			t.Fatalf("refused %+v, want %+v", res.Rejected, want)
		}
		for i, w := range want {
			if g := res.Rejected[i]; g != w {
				t.Errorf("refused %+v, want %+v", g, w)
			}
		}
	})
}
