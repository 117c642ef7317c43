package web_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestBatchWarningsNeedRecordsRole: the console opens a batch's warnings
// (/records/batches?batch=) to the staff roles that may push or read its
// department's records, as the API does: the platform's auditor, who
// reads the audit log but no records, is refused its own department's
// batch (403), while the operator opens it.
func TestBatchWarningsNeedRecordsRole(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		platform := f.depts["数管局"].ID
		entry := recordstest.Entry(t, db, platform, recordstest.Spec{Code: "101001/000002", Name: "人员信息", SubjectKind: "person",
			Items: []records.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, {Name: "性别", Type: "C", Length: 2}}})
		// CitizenID(1)'s 17th digit is even: a woman.
		line := `{"op":"add","subject_id":"` + recordstest.CitizenID(1) + `","produced_at":"` +
			f.clock.Now().Add(-time.Hour).Format(time.RFC3339) + `","values":{"性别":"男"}}`
		res, err := records.Ingest(t.Context(), db, recordstest.Pusher(platform), entry, records.JSONLines(strings.NewReader(line)),
			f.clock.Now(), records.Options{})
		if err != nil || res.WarningCount != 1 {
			t.Fatalf("push: %+v %v, want a warning", res, err)
		}
		page := "/records/batches?batch=" + strconv.FormatInt(res.BatchID, 10)
		auditor := f.loggedIn(t, "auditor")
		r := auditor.get(page)
		wantStatus(t, "the auditor", r, http.StatusForbidden)
		wantNoBody(t, "the auditor", r, "subject_id_mismatch", `id="batch-warnings"`)
		op := f.loggedIn(t, "operator")
		r = op.get(page)
		wantStatus(t, "the operator", r, http.StatusOK)
		wantBody(t, "the operator", r, "subject_id_mismatch")
	})
}
