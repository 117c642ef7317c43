package api_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDiscrepanciesBySubject filters the discrepancies by subject_id as
// the console does: the ID in any of its forms (a lower-case x, the old
// 15 digits, spaces around) names the subject, and one that is no ID is
// refused on subject_id rather than answered with an empty list.
func TestDiscrepanciesBySubject(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		a := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryA, 10)
		b := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryB, 10)
		at := beijing(t0.Add(-time.Minute))
		n := 3300
		for !strings.HasSuffix(recordstest.CitizenID(n), "X") {
			n++
		}
		// Two subjects in both entries, 民政 naming each differently.
		p1, p2 := recordstest.CitizenID(n), recordstest.CitizenID(n+1)
		for _, s := range []string{p1, p2} {
			if r := rf.do(t, "POST", a+"/ops", rf.gaKey, opLine("add", s, at, map[string]string{"姓名": "张三"})); r.status != 201 {
				t.Fatalf("push to 公安: %d %v", r.status, r.body)
			}
			if r := rf.do(t, "POST", b+"/ops", rf.mzKey, opLine("add", s, at, map[string]string{"姓名": "张叁"})); r.status != 201 {
				t.Fatalf("push to 民政: %d %v", r.status, r.body)
			}
		}
		for _, subject := range []string{p1, strings.ToLower(p1), " " + p1 + " ", p1[:6] + p1[8:17]} {
			r := rf.do(t, "GET", "/api/v1/records/discrepancies?purpose=核验&subject_id="+url.QueryEscape(subject), rf.gaKey, "")
			ds, _ := r.body["discrepancies"].([]any)
			if r.status != 200 || len(ds) != 1 || ds[0].(map[string]any)["subject_id"] != p1 {
				t.Errorf("subject_id %q: got %d %v, want 200 and the difference of %s", subject, r.status, r.body, p1)
			}
		}
		for _, c := range []struct{ subject, code string }{
			{p1[:17], "invalid_identifier"},
			{p1[:17] + "0", "invalid_citizen_id"},
			{"张三", "invalid_identifier"},
		} {
			r := rf.do(t, "GET", "/api/v1/records/discrepancies?purpose=核验&subject_id="+url.QueryEscape(c.subject), rf.gaKey, "")
			if r.status != 400 || r.body["code"] != c.code || r.body["field"] != "subject_id" {
				t.Errorf("subject_id %q: got %d %v, want 400 %s on subject_id", c.subject, r.status, r.body, c.code)
			}
		}
	})
}
