package api_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRefusedKeyRowKeepsNoFreeTextSubject: a refused key's auth.key row
// names as its subject only an identifier of a person or a legal entity.
// An entry of subject kind none takes any key text as a subject, and the
// row kept the caller's text, bidi controls included, as subject_id.
func TestRefusedKeyRowKeepsNoFreeTextSubject(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		r := personResource("办公场所信息", "03", "民政", "002", "社会救助", "03", "monthly", "场所编号*:C20;地址:C200")
		r.SubjectKind = catalog.NoSubject
		r.Items[0].IdentifiesSubject = false
		entry := publishEntry(t, db, rf.mzID, rf.deptID, r, t0.Add(-time.Hour))
		path := "/api/v1/records/entries/" + strconv.FormatInt(entry, 10) + "/subjects/ANY%E2%80%AEtext-chosen-by-caller"
		if r := rf.do(t, "GET", path, "htk_0123456789ab_nosuchsecret", ""); r.status != 401 {
			t.Fatalf("unknown key: %d %v, want 401", r.status, r.body)
		}
		n := rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE action = 'auth.key' AND actor_id = '0123456789ab'
			AND subject_id = ''`)
		if n != 1 {
			t.Errorf("%d auth.key rows of the unknown key without a subject, want 1", n)
		}
		if n := rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE subject_id LIKE $1`, "%"+"\u202e"+"%"); n != 0 {
			t.Errorf("%d audit rows keep the caller's text with U+202E as their subject", n)
		}
	})
}

// TestWrongSecretKeyRowAnonymous: a key id is no secret (it is the
// actor_id of an app's rows and shown in app lists), so a request with an
// app's key id and a wrong secret proves nothing of the app: its auth.key
// row is anonymous, without the app's name or department, the key id only
// its object (and actor id). It named the app and its department as a
// revoked key's row does, so that anyone could write denied rows that
// department and actor filters showed as that department's. The answer is
// the same 401 either way.
func TestWrongSecretKeyRowAnonymous(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		keyID := strings.Split(rf.mzKey, "_")[1]
		path := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryA, 10) + "/subjects/" + recordstest.CitizenID(9) + "?purpose=核验"
		wrong := rf.do(t, "GET", path, "htk_"+keyID+"_wrongsecretwrongsecret", "")
		unknown := rf.do(t, "GET", path, "htk_0123456789ab_wrongsecretwrongsecret", "")
		if wrong.status != 401 || wrong.body["code"] != "invalid_api_key" || wrong.body["detail"] != unknown.body["detail"] {
			t.Fatalf("wrong secret: %d %v, want 401 invalid_api_key as an unknown key's %v", wrong.status, wrong.body, unknown.body)
		}
		n := rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE action = 'auth.key' AND object_id = $1
			AND actor_kind = 'anonymous' AND actor_name = '' AND department_id IS NULL`, keyID)
		if n != 1 {
			t.Errorf("%d anonymous auth.key rows of key %s without a name or department, want 1", n, keyID)
		}
		r := rf.do(t, "GET", "/api/v1/audit?action=auth.key&department_id="+strconv.FormatInt(rf.mzID, 10), rf.opKey, "")
		if items, _ := r.body["items"].([]any); r.status != 200 || len(items) != 0 {
			t.Errorf("department filter: %d, %d rows, want none", r.status, len(items))
		}
	})
}
