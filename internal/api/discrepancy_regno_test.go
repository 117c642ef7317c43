package api_test

import (
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// entityEntries publishes a legal-entity entry of 公安 and one of 民政
// that both carry 单位名称, and returns their paths.
func (rf *recordsFixture) entityEntries(t *testing.T, db *sqldb.DB) (a, b string) {
	t.Helper()
	pub := t0.Add(-90 * time.Minute)
	entity := func(r catalog.Resource) catalog.Resource {
		r.SubjectKind = catalog.LegalEntity
		return r
	}
	ea := publishEntry(t, db, rf.gaID, rf.deptID, entity(personResource("旅馆业单位信息", "01", "公安", "003", "治安管理", "18",
		"daily", "统一社会信用代码*:C18;单位名称:C100")), pub)
	eb := publishEntry(t, db, rf.mzID, rf.deptID, entity(personResource("社会组织登记信息", "03", "民政", "003", "社会组织", "03",
		"monthly", "统一社会信用代码*:C18;单位名称:C100")), pub.Add(time.Minute))
	return "/api/v1/records/entries/" + strconv.FormatInt(ea, 10), "/api/v1/records/entries/" + strconv.FormatInt(eb, 10)
}

// TestDiscrepanciesByRegistrationNumber: a company known by its 15-digit
// business registration number (工商注册号) is found by it, as its records
// store it, where the filter read the number as an old 15-digit citizen ID,
// upgraded it to 18 digits and found nothing. A denied list names the
// number as given, not an 18-digit number nobody typed. A person's old
// 15-digit ID still finds the person's 18-digit one.
func TestDiscrepanciesByRegistrationNumber(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		a, b := rf.entityEntries(t, db)
		at := beijing(t0.Add(-time.Minute))
		const regNo = "440605000123453" // also reads as a citizen ID of 1900
		if r := rf.do(t, "POST", a+"/ops", rf.gaKey, opLine("add", regNo, at, map[string]string{"单位名称": "南海旅店"})); r.status != 201 {
			t.Fatalf("push to 公安: %d %v", r.status, r.body)
		}
		if r := rf.do(t, "POST", b+"/ops", rf.mzKey, opLine("add", regNo, at, map[string]string{"单位名称": "南海旅馆"})); r.status != 201 {
			t.Fatalf("push to 民政: %d %v", r.status, r.body)
		}
		for _, subject := range []string{regNo, " " + regNo + " "} {
			r := rf.do(t, "GET", "/api/v1/records/discrepancies?purpose=核验&subject_id="+url.QueryEscape(subject), rf.gaKey, "")
			ds, _ := r.body["discrepancies"].([]any)
			if r.status != 200 || len(ds) != 1 || ds[0].(map[string]any)["subject_id"] != regNo {
				t.Errorf("subject_id %q: got %d %v, want the difference of %s", subject, r.status, r.body, regNo)
			}
		}
		mz := strconv.FormatInt(rf.mzID, 10)
		r := rf.do(t, "GET", "/api/v1/records/discrepancies?purpose=核验&department_id="+mz+"&subject_id="+regNo, rf.gaKey, "")
		if r.status != 403 {
			t.Fatalf("another department's: %d %v, want 403", r.status, r.body)
		}
		if n := rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE action = 'records.discrepancy.read' AND outcome = 'denied'
			AND subject_id = $1`, regNo); n != 1 {
			t.Errorf("%d denied rows naming %s, want 1", n, regNo)
		}
	})
}
