package api_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDiscrepancyFeedbackIfMatch: a feedback sent twice was stored twice,
// and one sent from an old read overrode the department's newer position
// unseen (an accepting feedback, then a disputing one from the same read,
// both 200, the discrepancy sent to the operator). The list and a
// feedback's answer now give the discrepancy's feedback_tag (the answer
// also as its ETag); a feedback with an If-Match naming another is refused
// 409 concurrent_update, nothing written; one repeating the side's latest
// is answered 200 whatever its tag and writes nothing; without If-Match a
// feedback is taken as before.
func TestDiscrepancyFeedbackIfMatch(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		d := rf.nameDiscrepancy(t, recordstest.CitizenID(4311))
		read, _ := d["feedback_tag"].(string)
		if read == "" {
			t.Fatalf("discrepancy %v without feedback_tag", d)
		}
		id := jsonNumber(d["id"])
		feedback := "/api/v1/records/discrepancies/" + id + "/feedback"
		rows := func() (int, int) {
			return rf.countWhere(t, `SELECT count(*) FROM record_discrepancy_feedback WHERE discrepancy_id = $1`, id),
				rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE action = 'records.discrepancy.feedback' AND object_id = $1 AND outcome <> 'denied'`, id)
		}
		accept := `{"feedback":"认可公安数据，将推送更正","disputed":false}`
		r := rf.do(t, "POST", feedback, rf.mzKey, accept, "If-Match", `"`+read+`"`)
		after, _ := r.body["feedback_tag"].(string)
		if r.status != 200 || after == "" || after == read || r.header.Get("ETag") != `"`+after+`"` {
			t.Fatalf("accepting: %d %v ETag %q, want 200 with a new feedback_tag as its ETag", r.status, r.body, r.header.Get("ETag"))
		}
		r = rf.do(t, "POST", feedback, rf.mzKey, accept, "If-Match", `"`+read+`"`)
		if r.status != 200 || r.body["feedback_tag"] != after {
			t.Errorf("the same feedback again: %d %v, want 200 as it is", r.status, r.body)
		}
		if h, n := rows(); h != 1 || n != 1 {
			t.Errorf("the feedback sent twice: %d history rows, %d audit rows; want 1 and 1", h, n)
		}
		r = rf.do(t, "POST", feedback, rf.mzKey, `{"feedback":"经核实本局数据正确，申请协调","disputed":true}`, "If-Match", `"`+read+`"`)
		if r.status != 409 || r.body["code"] != "concurrent_update" {
			t.Errorf("disputing from the old read: %d %v, want 409 concurrent_update", r.status, r.body)
		}
		if h, n := rows(); h != 1 || n != 1 {
			t.Errorf("after the refusal: %d history rows, %d audit rows; want 1 and 1", h, n)
		}
		r = rf.do(t, "POST", feedback, rf.mzKey, `{"feedback":"经核实本局数据正确，申请协调","disputed":true}`, "If-Match", `"`+after+`"`)
		if r.status != 200 || r.body["disputed"] != true {
			t.Errorf("disputing from the answer's tag: %d %v, want 200 disputed", r.status, r.body)
		}
		r = rf.do(t, "POST", feedback, rf.mzKey, `{"feedback":"补充材料：婚姻登记档案"}`)
		if r.status != 200 || r.body["disputed"] != true {
			t.Errorf("a note without If-Match: %d %v, want 200, still disputed", r.status, r.body)
		}
		if h, n := rows(); h != 3 || n != 3 {
			t.Errorf("three feedbacks: %d history rows, %d audit rows; want 3 and 3", h, n)
		}
	})
}
