package api_test

import (
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDiscrepancyWritesIdempotent: a discrepancy's feedback and its
// resolution retried with the same Idempotency-Key are recorded once and
// the retry replays the first answer (Idempotent-Replayed), where a
// retried feedback was recorded twice, in feedback_history and in the
// audit log, and a retried resolution was answered 409
// discrepancy_resolved. The same key with another body is 409
// idempotency_key_reused. A department that is neither side, sending a
// key, is still answered 404 with its denied row, written once the
// key's transaction has rolled back. On both engines.
func TestDiscrepancyWritesIdempotent(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		thirdKey, _, id := discrepancyWithThird(t, rf, db, 5200)
		disc := "/api/v1/records/discrepancies/" + strconv.FormatInt(id, 10)
		rows := func(action string) int {
			return rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE action = $1 AND object_id = $2 AND outcome = 'ok'`,
				action, strconv.FormatInt(id, 10))
		}
		feedbacks := func() int {
			return rf.countWhere(t, `SELECT count(*) FROM record_discrepancy_feedback WHERE discrepancy_id = $1`, id)
		}

		first := rf.do(t, "POST", disc+"/feedback", rf.mzKey, `{"feedback":"核查中"}`, "Idempotency-Key", "fb-1")
		again := rf.do(t, "POST", disc+"/feedback", rf.mzKey, `{"feedback":"核查中"}`, "Idempotency-Key", "fb-1")
		if first.status != 200 || again.status != 200 || again.header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("feedback retried with its key: %d, then %d (Idempotent-Replayed %q), want 200 and a replayed 200",
				first.status, again.status, again.header.Get("Idempotent-Replayed"))
		}
		if h, _ := again.body["feedback_history"].([]any); len(h) != 1 {
			t.Errorf("retried feedback's answer: feedback_history %v, want the one feedback", again.body["feedback_history"])
		}
		if n, m := feedbacks(), rows("records.discrepancy.feedback"); n != 1 || m != 1 {
			t.Errorf("feedback retried with its key: %d feedback rows and %d audit rows, want 1 and 1", n, m)
		}
		if r := rf.do(t, "POST", disc+"/feedback", rf.mzKey, `{"feedback":"已核实"}`, "Idempotency-Key", "fb-1"); r.status != 409 ||
			r.body["code"] != "idempotency_key_reused" {
			t.Errorf("the key with another feedback: %d %v, want 409 idempotency_key_reused", r.status, r.body)
		}
		// The same feedback under a new key repeats the side's latest: answered,
		// not stored again (records.FeedbackIf); another is stored.
		if r := rf.do(t, "POST", disc+"/feedback", rf.mzKey, `{"feedback":"核查中"}`, "Idempotency-Key", "fb-2"); r.status != 200 || feedbacks() != 1 {
			t.Errorf("the same feedback under a new key: %d, %d feedback rows, want 200 and 1", r.status, feedbacks())
		}
		if r := rf.do(t, "POST", disc+"/feedback", rf.mzKey, `{"feedback":"已核实"}`, "Idempotency-Key", "fb-3"); r.status != 200 || feedbacks() != 2 {
			t.Errorf("another feedback under a new key: %d, %d feedback rows, want 200 and 2", r.status, feedbacks())
		}

		// A third department with a key: 404 and its denied row, nothing kept.
		for i := range 2 {
			r := rf.do(t, "POST", disc+"/feedback", thirdKey, `{"feedback":"无关"}`, "Idempotency-Key", "fb-x")
			if r.status != 404 || r.body["code"] != "discrepancy_not_found" {
				t.Errorf("feedback by no party with a key (try %d): %d %v, want 404 discrepancy_not_found", i+1, r.status, r.body)
			}
			if n := rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE action = 'records.discrepancy.feedback'
				AND object_id = $1 AND outcome = 'denied'`, strconv.FormatInt(id, 10)); n != i+1 {
				t.Errorf("feedback by no party with a key (try %d): %d denied rows, want %d", i+1, n, i+1)
			}
		}

		// 民政's feedback contests 公安's value: the operator resolves it.
		body := `{"note":"以户籍登记为准"}`
		op := rf.session(t, "nh.op")
		first = rf.do(t, "POST", disc+"/resolve", "", body, append([]string{"Idempotency-Key", "rs-1"}, op...)...)
		again = rf.do(t, "POST", disc+"/resolve", "", body, append([]string{"Idempotency-Key", "rs-1"}, op...)...)
		if first.status != 200 || again.status != 200 || again.header.Get("Idempotent-Replayed") != "true" ||
			again.body["status"] != "awaiting_correction" {
			t.Errorf("resolution retried with its key: %d, then %d %v (Idempotent-Replayed %q), want 200 and a replayed 200",
				first.status, again.status, again.body, again.header.Get("Idempotent-Replayed"))
		}
		if n := rows("records.discrepancy.resolve"); n != 1 {
			t.Errorf("resolution retried with its key: %d audit rows, want 1", n)
		}
		if r := rf.do(t, "POST", disc+"/resolve", "", body, op...); r.status != 409 || r.body["code"] != "discrepancy_resolved" {
			t.Errorf("resolution again without a key: %d %v, want 409 discrepancy_resolved", r.status, r.body)
		}
	})
}
