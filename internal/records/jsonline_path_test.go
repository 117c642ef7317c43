package records_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestJSONLineTypeErrorPath: a field of the wrong type is named by its
// key, as the reason says it. A key in another case (Subject_ID, which
// encoding/json matches to subject_id) names no field: it is unknown_field
// whatever its value, not a type error, and the field it is not is missing
// (TestJSONLineKeyCaseChecksExactFields).
func TestJSONLineTypeErrorPath(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		res := f.pushRefused(`{"op":"add","Subject_ID":110,"produced_at":"2026-03-02T10:00:00+08:00","values":{"姓名":"甲"}}` + "\n" +
			`{"op":"add","subject_id":"` + recordstest.CitizenID(1) + `","produced_At":1,"values":{"姓名":"乙"}}` + "\n" +
			`{"op":"add","subject_id":110,"produced_at":"2026-03-02T10:00:00+08:00","values":{"姓名":"丙"}}` + "\n")
		want := []records.LineError{
			{Line: 1, Code: "unknown_field", Field: "Subject_ID", Reason: "未知字段：Subject_ID"},
			{Line: 1, Code: "missing_subject", Field: "subject_id", Reason: "缺少主体标识（subject_id）"},
			{Line: 2, Code: "unknown_field", Field: "produced_At", Reason: "未知字段：produced_At"},
			{Line: 2, Code: "missing_produced_at", Field: "produced_at", Reason: "缺少数据产生时间（produced_at）"},
			{Line: 3, Code: "invalid_type", Field: "subject_id", Reason: "字段 subject_id 的类型应为字符串，实为数字"},
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
