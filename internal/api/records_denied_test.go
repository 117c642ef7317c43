package api_test

import (
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDeniedReadsAudited: a read of a subject's data that the caller may
// not make (a conditional entry of another department, an entry not
// shared, an app without data.read) is refused and audited as denied,
// naming the subject, the purpose and why; a refused change feed too.
func TestDeniedReadsAudited(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		_, closed := rf.sharingEntries(t, rf.gaID, "执业证号:C30", "矫正类别:C20")
		subject := recordstest.CitizenID(3)
		for _, c := range []struct {
			name, path, key, action, subject, reason string
		}{
			{"conditional", "/api/v1/records/entries/" + strconv.FormatInt(rf.entryA, 10) + "/subjects/" + subject + "?purpose=核验",
				rf.mzKey, "records.read", subject, "share_consent_required"},
			{"not shared", "/api/v1/records/entries/" + strconv.FormatInt(closed, 10) + "/subjects/" + subject + "/history?purpose=核验",
				rf.mzKey, "records.history", subject, "not_shared"},
			{"feed without data.read", "/api/v1/records/entries/" + strconv.FormatInt(rf.entryA, 10) + "/changes?purpose=核验",
				rf.gaCatalogKey, "records.feed", "", "forbidden"},
		} {
			if r := rf.do(t, "GET", c.path, c.key, ""); r.status != 403 || r.body["code"] != c.reason {
				t.Fatalf("%s: %d %v, want 403 %s", c.name, r.status, r.body, c.reason)
			}
			n := rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE action = $1 AND subject_id = $2 AND outcome = 'denied'
				AND purpose = '核验' AND detail = $3`, c.action, c.subject, `{"reason":"`+c.reason+`"}`)
			if n != 1 {
				t.Errorf("%s: %d denied %s rows about %q, want 1", c.name, n, c.action, c.subject)
			}
		}
	})
}
