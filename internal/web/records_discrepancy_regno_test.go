package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDiscrepancyFilterRegistrationNumber: the console's list finds a
// company by its 15-digit business registration number (工商注册号), as
// its records store it, where the filter read it as an old citizen ID,
// upgraded it to 18 digits and found nothing; the auditor's refused list
// names the number as typed. On both engines.
func TestDiscrepancyFilterRegistrationNumber(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		company := catalog.Item{Name: "统一社会信用代码", Type: "C", Length: 18, IdentifiesSubject: true}
		a := publishKind(t, f, "公安分局", "旅馆业单位信息", catalog.LegalEntity, company)
		b := publishKind(t, f, "市场监管局", "企业登记信息", catalog.LegalEntity, company)
		const regNo = "440605000123453" // also reads as a citizen ID of 1900
		produced := f.clock.Now().Add(-time.Hour).Format(time.RFC3339)
		for dept, p := range map[string]struct {
			entry int64
			name  string
		}{"公安分局": {a, "南海旅店"}, "市场监管局": {b, "南海旅馆"}} {
			line := `{"op":"add","subject_id":"` + regNo + `","produced_at":"` + produced + `","values":{"名称":"` + p.name + `"}}` + "\n"
			res, err := records.Ingest(t.Context(), db, recordstest.Pusher(f.depts[dept].ID), p.entry,
				records.JSONLines(strings.NewReader(line)), f.clock.Now(), records.Options{})
			if err != nil || res.Applied != 1 {
				t.Fatalf("push %s: %+v %v", dept, res, err)
			}
		}
		op := f.loggedIn(t, "operator")
		r := op.get("/records/discrepancies?" + checking + "&subject=" + url.QueryEscape(" "+regNo+" "))
		wantStatus(t, "by registration number", r, http.StatusOK)
		wantBody(t, "by registration number", r, "共 1 条")

		aud := f.loggedIn(t, "auditor")
		wantStatus(t, "auditor", aud.get("/records/discrepancies?"+checking+"&subject="+regNo), http.StatusForbidden)
		if n := count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'records.discrepancy.read' AND outcome = 'denied'
			AND subject_id = $1`, regNo); n != 1 {
			t.Errorf("%d denied rows naming %s, want 1", n, regNo)
		}
	})
}
