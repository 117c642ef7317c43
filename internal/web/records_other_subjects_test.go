package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRecordPageFiledUnderServedIdentifiers: the console's record page of a
// marriage record keyed by the wife's ID serves the husband's
// 男方公民身份号码, and its read is found in the audit log under his ID too
// (audit.List's subject filter, as the console's 审计日志 and hutong audit
// list use it), where before it was filed under the wife's alone.
func TestRecordPageFiledUnderServedIdentifiers(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		police := f.depts["公安分局"].ID
		marriage := recordstest.Entry(t, db, police, recordstest.Spec{Code: "101001/000013", Name: "婚姻登记信息", SubjectKind: "person",
			Items: []records.Item{{Name: "女方公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true},
				{Name: "男方公民身份号码", Type: "C", Length: 18}}})
		wife, husband := recordstest.CitizenID(1), recordstest.CitizenID(2)
		line := `{"op":"add","subject_id":"` + wife + `","produced_at":"` + f.clock.Now().Add(-time.Hour).Format(time.RFC3339) +
			`","values":{"男方公民身份号码":"` + husband + `"}}`
		if _, err := records.Ingest(t.Context(), db, recordstest.Pusher(police), marriage, records.JSONLines(strings.NewReader(line)),
			f.clock.Now(), records.Options{}); err != nil {
			t.Fatal(err)
		}
		c := f.loggedIn(t, "police.admin")
		r := c.get("/records/entries/" + strconv.FormatInt(marriage, 10) + "/subjects/" + wife + "?purpose=" + url.QueryEscape("核查婚姻状况"))
		wantStatus(t, "the record page", r, http.StatusOK)
		wantBody(t, "the record page", r, husband)
		rows, _, err := audit.List(t.Context(), db.Read(), audit.Filter{SubjectID: husband, SubjectForms: records.AuditSubjectForms(husband),
			Actions: []string{"records.read"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1 || rows[0].SubjectID != wife || rows[0].Purpose != "核查婚姻状况" {
			t.Errorf("rows under the husband's ID: %+v, want the page's read of the wife's record", rows)
		}
	})
}
