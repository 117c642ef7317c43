package api_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestReplayCheckFailureReplays: when the replay's check of its caller
// fails on the database (here its read of the discrepancy, the table
// renamed), the stored answer is replayed, as docs/design.md says
// (recheck), not answered with the failure: the caller passed
// authentication, Allow and Scope just now and is shown only what it was
// answered before. A fresh feedback, which reads the discrepancy too,
// fails, so the check did fail.
func TestReplayCheckFailureReplays(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf, _, paths := replayDiscrepancies(t, db, 1)
		body := `{"feedback":"核查中"}`
		first := rf.do(t, "POST", paths[0]+"/feedback", rf.mzKey, body, "Idempotency-Key", "fail-1")
		if first.status != 200 {
			t.Fatalf("first feedback: got %d %v", first.status, first.body)
		}
		if _, err := db.Write().ExecContext(t.Context(), `ALTER TABLE record_discrepancies RENAME TO record_discrepancies_gone`); err != nil {
			t.Fatal(err)
		}
		if r := rf.do(t, "POST", paths[0]+"/feedback", rf.mzKey, body, "Idempotency-Key", "fail-2"); r.status < 500 {
			t.Fatalf("fresh feedback without the table: got %d %v, want the database's failure", r.status, r.body)
		}
		retry := rf.do(t, "POST", paths[0]+"/feedback", rf.mzKey, body, "Idempotency-Key", "fail-1")
		if retry.status != 200 || retry.header.Get("Idempotent-Replayed") != "true" || retry.body["feedback_a"] != first.body["feedback_a"] ||
			retry.body["feedback_b"] != first.body["feedback_b"] {
			t.Errorf("retry whose check failed: got %d %q %v, want the first answer %v replayed",
				retry.status, retry.header.Get("Idempotent-Replayed"), retry.body, first.body)
		}
	})
}
