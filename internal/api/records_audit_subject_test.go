package api_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRefusedReadsAuditedCanonical: a read refused to its caller and a
// lookup that finds no record are audited under the subject's canonical
// form, as a read that is served is, whatever form the caller wrote it in
// (a 15-digit citizen ID, a lowercase x check digit), so that they are
// found under the person's ID; a subject that is no identifier, as typed.
// On both engines.
func TestRefusedReadsAuditedCanonical(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		id18 := recordstest.CitizenID(3)
		withX := ""
		for n := 4; withX == ""; n++ {
			if id := recordstest.CitizenID(n); strings.HasSuffix(id, "X") {
				withX = id
			}
		}
		entry := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryA, 10) + "/subjects/"
		for _, c := range []struct {
			what, canonical, typed string
		}{
			{"15-digit citizen ID", id18, id18[:6] + id18[8:17]},
			{"lowercase x", withX, strings.ToLower(withX)},
		} {
			for _, r := range []struct {
				action, suffix string
			}{{"records.read", ""}, {"records.history", "/history"}} {
				path := entry + c.typed + r.suffix + "?purpose=核验"
				if got := rf.do(t, "GET", path, rf.mzKey, ""); got.status != 403 || got.body["code"] != "share_consent_required" {
					t.Fatalf("%s %s by 民政: %d %v, want 403 share_consent_required", c.what, r.action, got.status, got.body)
				}
				if got := rf.do(t, "GET", path, rf.gaKey, ""); got.status != 404 || got.body["code"] != "record_not_found" {
					t.Fatalf("%s %s by 公安: %d %v, want 404 record_not_found", c.what, r.action, got.status, got.body)
				}
				for _, outcome := range []string{"denied", "failed"} {
					n := rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE action = $1 AND outcome = $2 AND subject_id = $3`,
						r.action, outcome, c.canonical)
					raw := rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE action = $1 AND outcome = $2 AND subject_id = $3`,
						r.action, outcome, c.typed)
					if n != 1 || raw != 0 {
						t.Errorf("%s %s %s: %d rows under %s, %d under %s as typed; want 1 and 0",
							c.what, r.action, outcome, n, c.canonical, raw, c.typed)
					}
				}
			}
		}
		// A subject that is no identifier of the entry's kind has no
		// canonical form: its denied row names it as typed.
		if got := rf.do(t, "GET", entry+"123?purpose=核验", rf.mzKey, ""); got.status != 403 {
			t.Fatalf("invalid subject by 民政: %d %v, want 403", got.status, got.body)
		}
		if n := rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE action = 'records.read' AND outcome = 'denied' AND subject_id = '123'`); n != 1 {
			t.Errorf("denied rows of an invalid subject as typed: %d, want 1", n)
		}
	})
}
