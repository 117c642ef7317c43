package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRecordRefusalAudited: the auditor, refused a record page or a lookup
// by role (403), leaves a denied records.read row naming the entry, the
// subject and the purpose given, as the API's refused read does; without a
// purpose, or for an entry that does not exist, nothing would be read and
// nothing is recorded. On both engines.
func TestRecordRefusalAudited(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		entry := publish(t, f, "公安分局", "居住登记信息", "01", "002",
			catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, catalog.Item{Name: "姓名", Type: "C", Length: 50})
		es := strconv.FormatInt(entry, 10)
		subject := recordstest.CitizenID(21)
		aud := f.loggedIn(t, "auditor")
		denied := func() int {
			return count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'records.read' AND outcome = 'denied'`)
		}
		page := "/records/entries/" + es + "/subjects/" + subject
		for _, path := range []string{page, page + "?purpose=", "/records/entries/999999/subjects/" + subject + "?purpose=x",
			"/records/lookup?entry=" + es + "&subject=" + subject, "/records/lookup?entry=999999&subject=" + subject + "&purpose=x",
			"/records/lookup?entry=" + es + "&purpose=x"} {
			wantStatus(t, "auditor "+path, aud.get(path), http.StatusForbidden)
		}
		if n := denied(); n != 0 {
			t.Fatalf("refusals that would read nothing left %d denied rows, want none", n)
		}
		purpose := url.QueryEscape("核查居住信息")
		for _, path := range []string{page + "?purpose=" + purpose,
			"/records/lookup?entry=" + es + "&subject=" + url.QueryEscape(" "+subject+" ") + "&purpose=" + purpose} {
			match := func() int {
				return count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'records.read' AND outcome = 'denied'
					AND purpose = '核查居住信息' AND subject_id = $1 AND object_type = 'catalog_entry' AND object_id = $2
					AND detail = '{"reason":"forbidden"}' AND actor_kind = 'user'`, subject, es)
			}
			before, matched := denied(), match()
			wantStatus(t, "auditor "+path, aud.get(path), http.StatusForbidden)
			if n := match() - matched; denied() != before+1 || n != 1 {
				t.Errorf("auditor %s: %d new denied rows, %d naming the subject and purpose, want one", path, denied()-before, n)
			}
		}
	})
}
