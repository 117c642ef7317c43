package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestBatchesWarningCountUnlinkedForAuditor: /records/batches linked an
// auditor's warning counts to ?batch= pages that refuse the auditor 403
// (auth.Principal.ReadBatches). The auditor now sees the count without a
// link; the operator, who may open it, still gets the link. Both engines.
func TestBatchesWarningCountUnlinkedForAuditor(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		// The auditor, of the platform's department, lists its batches.
		people := recordstest.Entry(t, f.db, f.depts["数管局"].ID, recordstest.Spec{Code: "101001/000009", Name: "人口基础信息",
			SubjectKind: "person", Items: []records.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true},
				{Name: "性别", Type: "C", Length: 2}}})
		produced := f.clock.Now().Add(-time.Hour).Format(time.RFC3339)
		// CitizenID(1)'s 17th digit is even: a woman, whom 男 draws a warning.
		line := `{"op":"add","subject_id":"` + recordstest.CitizenID(1) + `","produced_at":"` + produced +
			`","values":{"性别":"男"},"key":"hj-0007"}` + "\n"
		// Pushed by the department (the operator pushes no data).
		res, err := records.Ingest(t.Context(), db, recordstest.Pusher(f.depts["数管局"].ID), people,
			records.JSONLines(strings.NewReader(line)), f.clock.Now(), records.Options{})
		if err != nil || res.WarningCount != 1 {
			t.Fatalf("push: %+v %v, want a warning", res, err)
		}
		op := f.loggedIn(t, "operator")
		const link = `href="/records/batches?batch=1#batch-warnings"`
		wantBody(t, "operator's batches", op.get("/records/batches"), link)

		aud := f.loggedIn(t, "auditor")
		r := aud.get("/records/batches")
		wantStatus(t, "auditor's batches", r, http.StatusOK)
		wantBody(t, "auditor's batches", r, `id="batch-1"`, `<td class="num">1</td>`)
		wantNoBody(t, "auditor's batches", r, "batch=1", "点击数目查看")
		wantStatus(t, "auditor opening the batch", aud.get("/records/batches?batch=1"), http.StatusForbidden)
	})
}
