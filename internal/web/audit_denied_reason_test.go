package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestAuditDeniedReviewReason: the audit page shows the reason of a
// refused rejection of a revision (catalog.reject, denied) as the
// refusal's code in Chinese, 无权操作, where it showed forbidden as words
// a reviewer typed.
func TestAuditDeniedReviewReason(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		id := publish(t, f, "公安分局", "暂住人口登记信息", "01", "002",
			catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, catalog.Item{Name: "姓名", Type: "C", Length: 50})
		rev := f.client(t)
		rtok := rev.login("reviewer")
		r := rev.post("/catalog/"+strconv.FormatInt(id, 10)+"/reject", url.Values{"csrf_token": {rtok}, "reason": {"不同意"}})
		wantStatus(t, "department reviewer rejects", r, http.StatusForbidden)
		aud := f.loggedIn(t, "auditor")
		r = aud.get("/audit?action=catalog.reject")
		wantBody(t, "audit page", r, `<dd>无权操作 <span class="muted mono">forbidden</span></dd>`)
	})
}
