package api_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestReadAuditedUnderServedIdentifiers: a read is found in the audit log
// (GET /api/v1/audit?subject_id=) under every person whose identifier it
// served, not only its record's subject: a marriage record keyed by the
// wife's ID serves the husband's 男方公民身份号码 (typed by him in lower
// case or as his old 15-digit ID); a 不动产登记信息 record keyed by its
// 不动产单元号 serves the owner's 权利人证件号码; and each row names them
// in its detail (other_subjects), which the chain covers. A batch's
// warnings, read by the pushing department itself, are audited under each
// subject they name. Before, the husband, the owner and the batch's
// second subject found nothing, and the batch's read left no row.
func TestReadAuditedUnderServedIdentifiers(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		now := beijing(rf.clock.Now())
		wife, husband, owner := recordstest.CitizenID(1), recordstest.CitizenID(2), recordstest.CitizenID(4)
		found := func(what, subject, action string, want int) []any {
			t.Helper()
			q := "action=" + action + "&subject_id=" + url.QueryEscape(subject)
			r := rf.do(t, "GET", "/api/v1/audit?"+q, rf.opKey, "")
			items, _ := r.body["items"].([]any)
			if r.status != 200 || len(items) != want {
				t.Errorf("%s: subject_id=%s: %d, %d rows, want 200, %d (%v)", what, subject, r.status, len(items), want, r.body)
			}
			return items
		}

		marriage := recordstest.Entry(t, db, rf.gaID, recordstest.Spec{Code: "101001/000013", Name: "婚姻登记信息", SubjectKind: "person",
			Items: []records.Item{{Name: "女方公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true},
				{Name: "男方公民身份号码", Type: "C", Length: 18}, {Name: "登记日期", Type: "D"}}})
		e := "/api/v1/records/entries/" + strconv.FormatInt(marriage, 10)
		if r := rf.do(t, "POST", e+"/ops", rf.gaKey, opLine("add", wife, now, map[string]string{"男方公民身份号码": husband,
			"登记日期": "2020-05-20"})); r.status != 201 {
			t.Fatalf("push: %d %v", r.status, r.body)
		}
		if r := rf.do(t, "GET", e+"/subjects/"+wife+"?purpose=核对婚姻状况", rf.gaKey, ""); r.status != 200 {
			t.Fatalf("read: %d %v", r.status, r.body)
		}
		found("the wife", wife, "records.read", 1)
		rows := found("the husband", husband, "records.read", 1)
		old := husband[:6] + husband[8:17] // his 15-digit ID
		found("the husband, lower case and 15 digits", strings.ToLower(old), "records.read", 1)
		if len(rows) == 1 {
			row := rows[0].(map[string]any)
			if row["subject_id"] != wife || !strings.Contains(row["detail"].(string), `"other_subjects":"`+husband) {
				t.Errorf("the husband's row: %v, want the wife's subject and him in other_subjects", row)
			}
		}

		land := recordstest.Entry(t, db, rf.gaID, recordstest.Spec{Code: "101001/000028", Name: "不动产登记信息", SubjectKind: "none",
			Items: []records.Item{{Name: "不动产单元号", Type: "C", Length: 28, IdentifiesSubject: true},
				{Name: "权利人名称", Type: "C", Length: 50}, {Name: "权利人证件号码", Type: "C", Length: 18}}})
		unit := "440605001001GB00001F00010001"
		e = "/api/v1/records/entries/" + strconv.FormatInt(land, 10)
		if r := rf.do(t, "POST", e+"/ops", rf.gaKey, opLine("add", unit, now, map[string]string{"权利人名称": "张三",
			"权利人证件号码": owner})); r.status != 201 {
			t.Fatalf("push land: %d %v", r.status, r.body)
		}
		if r := rf.do(t, "GET", e+"/subjects/"+unit+"/history?purpose=核对产权", rf.gaKey, ""); r.status != 200 {
			t.Fatalf("read land: %d %v", r.status, r.body)
		}
		found("the owner", owner, "records.history", 1)

		people := recordstest.Entry(t, db, rf.gaID, recordstest.Spec{Code: "101001/000009", Name: "户籍人口基本信息", SubjectKind: "person",
			Items: []records.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, {Name: "性别", Type: "C", Length: 4}}})
		e = "/api/v1/records/entries/" + strconv.FormatInt(people, 10)
		// CitizenID(0) and (1) are women.
		body := opLine("add", recordstest.CitizenID(0), now, map[string]string{"性别": "男"}) + "\n" +
			opLine("add", wife, now, map[string]string{"性别": "男"})
		pushed := rf.do(t, "POST", e+"/batches", rf.gaKey, body, "Content-Type", "application/x-ndjson")
		if pushed.status != 201 || pushed.body["warning_count"] != 2.0 {
			t.Fatalf("batch: %d %v, want 2 warnings", pushed.status, pushed.body)
		}
		batch := "/api/v1/records/batches/" + strconv.FormatFloat(pushed.body["batch_id"].(float64), 'f', -1, 64)
		if r := rf.do(t, "GET", batch, rf.gaKey, ""); r.status != 200 {
			t.Fatalf("its batch: %d %v", r.status, r.body)
		}
		found("the batch's first subject", recordstest.CitizenID(0), "records.batch.read", 1)
		found("the batch's second subject", wife, "records.batch.read", 1)

		if r := rf.do(t, "GET", "/api/v1/audit/verify", rf.opKey, ""); r.status != 200 || r.body["intact"] != true {
			t.Errorf("verify: %d %v, want the chain intact", r.status, r.body)
		}
	})
}
