package api_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestPushedWarningNamesItsOperation: an operation pushed alone whose sex
// contradicts its citizen ID is warned of, and the warning, in its answer
// and in its batch's detail (the source's, and the operator's), names it
// by its Idempotency-Key and its subject masked, as the OpenAPI document's
// LineError says, never by the identifier itself. Resent twice under its
// key, it is a duplicate, and the entry counts it once: one line checked,
// one mismatched.
func TestPushedWarningNamesItsOperation(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		people := recordstest.Entry(t, db, rf.gaID, recordstest.Spec{Code: "101001/000009", Name: "户籍人口基本信息", SubjectKind: "person",
			Items: []records.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, {Name: "性别", Type: "C", Length: 4}}})
		e := "/api/v1/records/entries/" + strconv.FormatInt(people, 10)
		woman := recordstest.CitizenID(0)
		masked := woman[:6] + "**********" + woman[16:]
		props, required := schemaKeys(t, "LineError")
		named := func(what string, r response, status int) {
			t.Helper()
			ws, _ := r.body["warnings"].([]any)
			if r.status != status || len(ws) != 1 {
				t.Fatalf("%s: %d %v, want %d with one warning", what, r.status, r.body, status)
			}
			w := ws[0].(map[string]any)
			if w["key"] != "hj-20260302-000123" || w["subject_id_masked"] != masked || w["code"] != "subject_id_mismatch" {
				t.Errorf("%s: warning %v, want key hj-20260302-000123, subject %s", what, w, masked)
			}
			checkKeys(t, what, w, props, required)
			if strings.Contains(fmt.Sprint(r.body), woman) {
				t.Errorf("%s: the answer holds the subject's identifier: %v", what, r.body)
			}
		}
		body := opLine("add", woman, beijing(rf.clock.Now()), map[string]string{"性别": "男"})
		first := rf.do(t, "POST", e+"/ops", rf.gaKey, body, "Idempotency-Key", "hj-20260302-000123")
		named("pushed", first, 201)
		for range 2 {
			r := rf.do(t, "POST", e+"/ops", rf.gaKey, body, "Idempotency-Key", "hj-20260302-000123")
			if r.body["duplicates"] != 1.0 {
				t.Errorf("resent: %d %v, want a duplicate", r.status, r.body)
			}
			named("resent", r, 200)
		}
		batch := "/api/v1/records/batches/" + strconv.FormatFloat(first.body["batch_id"].(float64), 'f', -1, 64)
		named("its batch", rf.do(t, "GET", batch, rf.gaKey, ""), 200)
		named("its batch read by the operator", rf.do(t, "GET", batch, "", "", rf.session(t, "nh.op")...), 200)

		r := rf.do(t, "GET", "/api/v1/records/quality?entry_id="+strconv.FormatInt(people, 10), rf.gaKey, "")
		q, _ := r.body["quality"].([]any)
		if len(q) != 1 || q[0].(map[string]any)["checked_lines"] != 1.0 || q[0].(map[string]any)["mismatched_lines"] != 1.0 {
			t.Errorf("quality after two resends: %d %v, want 1 line checked, 1 mismatched", r.status, r.body)
		}
	})
}
