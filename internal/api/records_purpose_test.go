package api_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRecordsPurposeRequired: every route serving subjects' data (a
// record, its history, the change feed, the discrepancies) refuses a read
// without a purpose, as the console does: 400 purpose_required on purpose,
// before anything is read, so that nothing is served or audited, not even
// the refusal of a caller who may not read the entry (as for a purpose too
// long or with control characters).
func TestRecordsPurposeRequired(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		a := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryA, 10)
		b := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryB, 10)
		p := recordstest.CitizenID(4200)
		at := beijing(t0.Add(-time.Minute))
		if r := rf.do(t, "POST", a+"/ops", rf.gaKey, opLine("add", p, at, map[string]string{"姓名": "张三"})); r.status != 201 {
			t.Fatalf("push to 公安: %d %v", r.status, r.body)
		}
		if r := rf.do(t, "POST", b+"/ops", rf.mzKey, opLine("add", p, at, map[string]string{"姓名": "张叁"})); r.status != 201 {
			t.Fatalf("push to 民政: %d %v", r.status, r.body)
		}
		audited := func() int { return rf.countWhere(t, `SELECT count(*) FROM audit_log`) }
		before := audited()
		const want = "请填写查询用途 purpose（如：核查多源差异，或办件的受理号），读取的数据会连同用途记入审计日志"
		routes := []string{a + "/subjects/" + p + "?", a + "/subjects/" + p + "/history?", a + "/changes?", "/api/v1/records/discrepancies?",
			a + "/subjects/" + p + "?at=" + beijing(t0.Add(time.Hour)) + "&"}
		for _, u := range routes {
			for _, q := range []string{"", "purpose=", "purpose=%20%20"} {
				for _, key := range []string{rf.gaKey, rf.mzKey} {
					r := rf.do(t, "GET", u+q, key, "")
					if r.status != 400 || r.body["code"] != "purpose_required" || r.body["field"] != "purpose" || r.body["detail"] != want {
						t.Errorf("GET %s%s: got %d %v, want 400 purpose_required on purpose", u, q, r.status, r.body)
					}
				}
			}
		}
		if n := audited(); n != before {
			t.Errorf("reads without a purpose audited %d rows, want none", n-before)
		}
		for _, u := range routes {
			if r := rf.do(t, "GET", u+"purpose=%E6%A0%B8%E9%AA%8C", rf.gaKey, ""); r.status != 200 {
				t.Errorf("GET %s with a purpose: got %d %v, want 200", u, r.status, r.body)
			}
		}
	})
}
