package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestOperatorPushesNoData: the platform operator, whom the API refuses
// a push (records.write is a department administrator's alone), is not
// offered the upload on /records and is refused the upload page and the
// upload itself (403), for an entry of its own department as for
// another's, and nothing is written, where the console applied its file;
// a department administrator still uploads its department's data, and the
// operator is still let give feedback on a discrepancy and resolve it
// (a discrepancy that does not exist is not found, not a role refused).
// On both engines.
func TestOperatorPushesNoData(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		people := peopleEntry(t, f)
		own := recordstest.Entry(t, db, f.depts["数管局"].ID, recordstest.Spec{Code: "202002/000001", Name: "人口综合信息",
			SubjectKind: "person", Items: []records.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true},
				{Name: "性别", Type: "C", Length: 2}}})
		line := []byte(`{"op":"add","subject_id":"` + recordstest.CitizenID(2) + `","produced_at":"` +
			f.clock.Now().Add(-time.Hour).Format(time.RFC3339) + `","values":{"性别":"男"}}` + "\n")
		const refusal = "您的角色（平台管理员）无权"

		op := f.client(t)
		tok := op.login("operator")
		r := op.get("/records")
		wantStatus(t, "operator's overview", r, http.StatusOK)
		wantNoBody(t, "operator's overview", r, `href="/records/upload"`, "上传数据")
		r = op.get("/records/upload")
		wantStatus(t, "operator's upload page", r, http.StatusForbidden)
		wantBody(t, "operator's upload page", r, refusal)
		for _, entry := range []int64{own, people} {
			e := strconv.FormatInt(entry, 10)
			r = op.upload("/records/upload", tok, "people.jsonl", line, "entry", e)
			wantStatus(t, "operator's upload to "+e, r, http.StatusForbidden)
			wantBody(t, "operator's upload to "+e, r, refusal)
		}
		for _, table := range []string{"record_batches", "record_item_values"} {
			if n := count(t, db, "SELECT count(*) FROM "+table); n != 0 {
				t.Errorf("%s after the operator's refused uploads: %d rows, want none", table, n)
			}
		}
		for _, action := range []string{"feedback", "resolve"} {
			r = op.post("/records/discrepancies/999/"+action, url.Values{"csrf_token": {tok}, "feedback": {"核实"}, "note": {"核实"}})
			wantStatus(t, "operator's "+action, r, http.StatusNotFound)
			wantNoBody(t, "operator's "+action, r, refusal)
		}

		police := f.client(t)
		ptok := police.login("police.admin")
		wantBody(t, "department's overview", police.get("/records"), `href="/records/upload"`)
		r = police.upload("/records/upload", ptok, "people.jsonl", line, "entry", strconv.FormatInt(people, 10))
		wantStatus(t, "department's upload", r, http.StatusOK)
		if n := count(t, db, `SELECT count(*) FROM record_batches`); n != 1 {
			t.Errorf("batches after the department's upload: %d, want 1", n)
		}
	})
}
