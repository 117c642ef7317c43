package records_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestJSONLineEveryFieldError: a JSON line lists every bad field once
// each, as a CSV row does: an unknown field, a produced_at that is no time
// and a value that is no string beside the errors of its other fields
// (op, subject_id, values), where it reported the first alone. The line is
// one refused line.
func TestJSONLineEveryFieldError(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		body := `{"op":"ad","subject_id":"` + recordstest.CitizenID(1) + `","produced_at":"昨天","values":{"姓名":"张三"},"extra":1}` + "\n" +
			`{"op":"add","subject_id":"123","produced_at":"2026-03-02T10:00:00+08:00","values":{"姓名":{"a":1},"出生日期":"1990-13-45"},"Note":"x"}` + "\n" +
			`{"op":"add","subject_id":"123","produced_at":"bad","values":{"出生日期":"1990-13-45"}}` + "\n" +
			`{"op":"change","subject_id":"` + recordstest.CitizenID(2) + `","produced_at":"2026-03-02T10:00:00+08:00","values":{"姓名":[1]}}` + "\n"
		res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, records.JSONLines(strings.NewReader(body)), f.receivedAt, records.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range res.Rejected {
			got = append(got, fmt.Sprintf("%d:%s:%s", r.Line, r.Code, r.Field))
		}
		want := "1:unknown_field:extra 1:invalid_produced_at:produced_at 1:invalid_op:op " +
			"2:unknown_field:Note 2:invalid_value:姓名 2:invalid_citizen_id:subject_id 2:invalid_value:出生日期 " +
			"3:invalid_produced_at:produced_at 3:invalid_citizen_id:subject_id 3:invalid_value:出生日期 " +
			"4:invalid_value:姓名"
		if g := strings.Join(got, " "); g != want {
			t.Errorf("refused\n%s\nwant\n%s", g, want)
		}
		if res.RejectedCount != 11 || res.RejectedLines != 4 || res.Lines != 4 {
			t.Errorf("%d errors, %d refused lines of %d; want 11, 4 of 4", res.RejectedCount, res.RejectedLines, res.Lines)
		}
	})
}
