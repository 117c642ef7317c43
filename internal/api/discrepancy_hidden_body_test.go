package api_test

import (
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDiscrepancyHiddenBeforeBody: a department that is neither side of
// a discrepancy, sending feedback or a resolution whose body does not
// parse, is answered 404 discrepancy_not_found as for one that does not
// exist and leaves a denied row (not_party), where it was told 400
// invalid_type and so learnt that the discrepancy exists, unaudited. On
// both engines.
func TestDiscrepancyHiddenBeforeBody(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		thirdKey, p, id := discrepancyWithThird(t, rf, db, 5200)
		disc := "/api/v1/records/discrepancies/" + strconv.FormatInt(id, 10)
		for _, c := range []struct{ action, body string }{
			{"feedback", `{"feedback":1}`}, {"feedback", `{"disputed":"x"}`},
			{"resolve", `{"authoritative_entry_id":"x"}`}, {"resolve", `{"note":[]}`},
		} {
			before := rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE object_type = 'record_discrepancy' AND object_id = $1
				AND outcome = 'denied' AND subject_id = $2 AND detail = '{"reason":"not_party"}'
				AND action = $3`, strconv.FormatInt(id, 10), p, "records.discrepancy."+c.action)
			r := rf.do(t, "POST", disc+"/"+c.action, thirdKey, c.body)
			if r.status != 404 || r.body["code"] != "discrepancy_not_found" {
				t.Errorf("%s %s by no party: %d %v, want 404 discrepancy_not_found", c.action, c.body, r.status, r.body)
			}
			after := rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE object_type = 'record_discrepancy' AND object_id = $1
				AND outcome = 'denied' AND subject_id = $2 AND detail = '{"reason":"not_party"}'
				AND action = $3`, strconv.FormatInt(id, 10), p, "records.discrepancy."+c.action)
			if after-before != 1 {
				t.Errorf("%s %s by no party left %d denied rows, want 1", c.action, c.body, after-before)
			}
		}
	})
}
