package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDiscrepanciesRefusalAudited: the auditor, refused the console's list
// of discrepancies (403), leaves a denied records.discrepancy.read row with
// the purpose given, the subject of the filter and the reason, as the API's
// refusal does; without a purpose nothing would be read, and nothing is
// recorded. On both engines.
func TestDiscrepanciesRefusalAudited(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		aud := f.loggedIn(t, "auditor")
		subject := recordstest.CitizenID(600)
		denied := func() int {
			return count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'records.discrepancy.read' AND outcome = 'denied'`)
		}
		for _, path := range []string{"/records/discrepancies", "/records/discrepancies?purpose=", "/records/discrepancies?subject=" + subject} {
			wantStatus(t, "auditor "+path, aud.get(path), http.StatusForbidden)
		}
		if n := denied(); n != 0 {
			t.Fatalf("refusals without a purpose left %d denied rows, want none", n)
		}
		for _, c := range []struct{ query, subject string }{
			{"", ""}, {"&status=all&subject=" + subject, subject}, {"&subject=x", ""},
		} {
			path := "/records/discrepancies?purpose=" + url.QueryEscape("核查多源差异") + c.query
			match := func() int {
				return count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'records.discrepancy.read' AND outcome = 'denied'
					AND purpose = '核查多源差异' AND subject_id = $1 AND detail = '{"reason":"forbidden"}' AND actor_kind = 'user'`, c.subject)
			}
			before, matched := denied(), match()
			wantStatus(t, "auditor "+path, aud.get(path), http.StatusForbidden)
			if n := match() - matched; denied() != before+1 || n != 1 {
				t.Errorf("auditor %s: %d new denied rows, %d naming %q, want one", path, denied()-before, n, c.subject)
			}
		}
		// Allowed, the list leaves no denied row.
		before := denied()
		police := f.loggedIn(t, "police.admin")
		wantStatus(t, "police", police.get("/records/discrepancies?"+checking), http.StatusOK)
		if n := denied(); n != before {
			t.Errorf("an allowed list left %d denied rows", n-before)
		}
	})
}
