package api_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/catalog"
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
