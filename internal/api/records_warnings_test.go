package api_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestPushWarnings: a company's credit code whose check character is
// wrong (a real early code) is accepted, pushed alone or in a CSV batch,
// and the answer, a BatchResult as the OpenAPI document describes it,
// warns of it per line; the record is read by that code in any case.
func TestPushWarnings(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		firms := recordstest.Entry(t, db, rf.gaID, recordstest.Spec{Code: "102001/000001", Name: "企业登记信息", SubjectKind: "legal_entity",
			Items: []records.Item{{Name: "统一社会信用代码", Type: "C", Length: 18, IdentifiesSubject: true}, {Name: "企业名称", Type: "C", Length: 50}}})
		e := "/api/v1/records/entries/" + strconv.FormatInt(firms, 10)
		props, required := schemaKeys(t, "BatchResult")
		warned := func(what string, r response, status int, line float64) {
			t.Helper()
			ws, _ := r.body["warnings"].([]any)
			if r.status != status || len(ws) != 1 || r.body["warning_count"] != 1.0 {
				t.Fatalf("%s: %d %v, want %d with one warning", what, r.status, r.body, status)
			}
			w := ws[0].(map[string]any)
			if w["line"] != line || w["code"] != "uscc_check_digit" || w["field"] != "subject_id" || !strings.Contains(w["reason"].(string), "校验码不符") {
				t.Errorf("%s: warning %v", what, w)
			}
			checkKeys(t, what, r.body, props, required)
		}
		now := rf.clock.Now().In(calendar.Location())
		warned("one operation", rf.do(t, "POST", e+"/ops", rf.gaKey, opLine("add", "91350100m0001tgqxm", beijing(now),
			map[string]string{"企业名称": "甲公司"})), 201, 1)
		batch := "op,subject_id,produced_at,统一社会信用代码,企业名称\n" +
			"add," + recordstest.USCC(1) + "," + now.Format("2006/1/2 15:04") + ",,乙公司\n" +
			"add,91350211M0000XUF46," + now.Format("2006/1/2 15:04") + ",91350211M0000XUF46,丙公司\n"
		first := rf.do(t, "POST", e+"/batches", rf.gaKey, batch, "Content-Type", "text/csv", "Idempotency-Key", "early-codes")
		warned("CSV batch", first, 201, 3)
		// The batch keeps them: its replay, its detail and the list say them again.
		again := rf.do(t, "POST", e+"/batches", rf.gaKey, batch, "Content-Type", "text/csv", "Idempotency-Key", "early-codes")
		warned("CSV batch replayed", again, 200, 3)
		if again.body["replayed"] != true || again.body["batch_id"] != first.body["batch_id"] {
			t.Errorf("replay: %v, want batch %v replayed", again.body, first.body["batch_id"])
		}
		id := strconv.FormatFloat(first.body["batch_id"].(float64), 'f', -1, 64)
		warned("batch detail", rf.do(t, "GET", "/api/v1/records/batches/"+id, rf.gaKey, ""), 200, 3)
		r := rf.do(t, "GET", "/api/v1/records/batches?entry_id="+strconv.FormatInt(firms, 10), rf.gaKey, "")
		bs, _ := r.body["batches"].([]any)
		if r.status != 200 || len(bs) != 2 || bs[0].(map[string]any)["warning_count"] != 1.0 || bs[1].(map[string]any)["warning_count"] != 1.0 {
			t.Errorf("batches: %d %v, want the one operation's and the CSV batch's, one warning each", r.status, r.body)
		}
		r = rf.do(t, "GET", e+"/subjects/91350100m0001tgqxm?purpose=核验", rf.gaKey, "")
		if r.status != 200 || r.body["subject_id"] != "91350100M0001TGQXM" {
			t.Errorf("read an early code: %d %v", r.status, r.body)
		}
	})
}
