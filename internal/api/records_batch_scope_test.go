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

// TestBatchWarningsNeedRecordsScope: a batch's warnings are data of the
// records pushed, so an app of the pushing department holding only
// catalog.read, which is refused the record itself, is refused the batch
// too (403 forbidden, naming records.write and data.read), while the
// pushing app reads it; and a warning of a birth date that contradicts
// the citizen ID quotes neither the date pushed nor the ID's (digits 7 to
// 14, which would undo subject_id_masked's mask).
func TestBatchWarningsNeedRecordsScope(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		people := recordstest.Entry(t, db, rf.gaID, recordstest.Spec{Code: "101001/000009", Name: "户籍人口基本信息", SubjectKind: "person",
			Items: []records.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, {Name: "出生日期", Type: "D"}}})
		e := "/api/v1/records/entries/" + strconv.FormatInt(people, 10)
		person := recordstest.CitizenID(0) // born 1960-01-01
		body := opLine("add", person, beijing(rf.clock.Now()), map[string]string{"出生日期": "1970-05-06"})
		pushed := rf.do(t, "POST", e+"/ops", rf.gaKey, body, "Idempotency-Key", "hj-0001")
		if pushed.status != 201 || pushed.body["warning_count"] != 1.0 {
			t.Fatalf("push: %d %v, want 201 with a warning", pushed.status, pushed.body)
		}
		batch := "/api/v1/records/batches/" + strconv.FormatFloat(pushed.body["batch_id"].(float64), 'f', -1, 64)

		r := rf.do(t, "GET", e+"/subjects/"+person+"?purpose=核对", rf.gaCatalogKey, "")
		if r.status != 403 {
			t.Fatalf("the record read with catalog.read: %d %v, want 403", r.status, r.body)
		}
		r = rf.do(t, "GET", batch, rf.gaCatalogKey, "")
		if r.status != 403 || r.body["code"] != "forbidden" || !strings.Contains(fmt.Sprint(r.body["detail"]), "records.write") ||
			strings.Contains(fmt.Sprint(r.body), "出生日期") {
			t.Errorf("the batch read with catalog.read: %d %v, want 403 forbidden naming records.write", r.status, r.body)
		}

		for what, res := range map[string]response{"pushed": pushed, "its batch": rf.do(t, "GET", batch, rf.gaKey, "")} {
			ws, _ := res.body["warnings"].([]any)
			if len(ws) != 1 {
				t.Fatalf("%s: %d %v, want one warning", what, res.status, res.body)
			}
			reason := fmt.Sprint(ws[0].(map[string]any)["reason"])
			if !strings.Contains(reason, "出生日期（第7至14位）") || strings.Contains(reason, "1970") || strings.Contains(reason, "1960") {
				t.Errorf("%s: reason %q, want the ID's birth date named, neither date quoted", what, reason)
			}
		}
	})
}
