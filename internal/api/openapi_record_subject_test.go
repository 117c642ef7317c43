package api_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/api"
	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestOpenAPIRecordSubjectRefusals: the 400 of a record read and of its
// history names each code a subject that is no identifier is refused with,
// and its field subject_id, and the read's describes at as what it takes:
// an RFC 3339 time or a Beijing YYYY-MM-DD[ HH:MM[:SS]], which is read,
// where the document named neither the subject's codes on the read nor the
// field, and called at an RFC 3339 time only. On both engines.
func TestOpenAPIRecordSubjectRefusals(t *testing.T) {
	doc, err := api.OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		a := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryA, 10)
		p := recordstest.CitizenID(6100)
		if r := rf.do(t, "POST", a+"/ops", rf.gaKey, opLine("add", p, beijing(t0.Add(-time.Hour)), map[string]string{"姓名": "张三"})); r.status != 201 {
			t.Fatalf("push: %d %v", r.status, r.body)
		}
		for _, docPath := range []string{"/api/v1/records/entries/{id}/subjects/{subject}", "/api/v1/records/entries/{id}/subjects/{subject}/history"} {
			resp := documentedResponse(t, doc, "GET", docPath, 400)
			desc, _ := resp["description"].(string)
			suffix := strings.TrimPrefix(docPath, "/api/v1/records/entries/{id}/subjects/{subject}")
			for _, subject := range []string{p[:17] + map[bool]string{true: "1", false: "2"}[p[17] != '1'], p[:16], "张三"} {
				r := rf.do(t, "GET", a+"/subjects/"+url.PathEscape(subject)+suffix+"?purpose=核验", rf.gaKey, "")
				code, _ := r.body["code"].(string)
				if r.status != 400 || r.body["field"] != "subject_id" {
					t.Errorf("GET %s of %q: %d %v, want 400 on subject_id", docPath, subject, r.status, r.body)
					continue
				}
				if !strings.Contains(desc, code) || !strings.Contains(desc, "subject_id") {
					t.Errorf("GET %s: 400 does not name %s of field subject_id: %q", docPath, code, desc)
				}
			}
		}
		for _, at := range []string{t0.In(calendar.Location()).Format("2006-01-02 15:04"), t0.In(calendar.Location()).Format("2006-01-02 15:04:05"),
			t0.In(calendar.Location()).Format("2006-01-02")} {
			r := rf.do(t, "GET", a+"/subjects/"+p+"?purpose=核验&at="+url.QueryEscape(at), rf.gaKey, "")
			if r.status == 400 {
				t.Errorf("at=%s: %d %v, want it read", at, r.status, r.body)
			}
		}
		desc, _ := documentedResponse(t, doc, "GET", "/api/v1/records/entries/{id}/subjects/{subject}", 400)["description"].(string)
		if !strings.Contains(desc, "YYYY-MM-DD HH:MM[:SS]") || strings.Contains(desc, "at is not an RFC 3339 time;") {
			t.Errorf("the read's 400 describes at as RFC 3339 only: %q", desc)
		}
	})
}
