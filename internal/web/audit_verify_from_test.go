package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestAuditVerifyFrom: the console's chain check takes a start, the last
// head recorded, as GET /api/v1/audit/verify?from= does: it verifies only
// the rows after it, so a row before it rewritten is not reported (the
// whole check reports it) and one after it is; a start it cannot read is
// refused naming it. On both engines.
func TestAuditVerifyFrom(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c, seq, hash := verifyHead(t, f, `name="from"`, "起点是上次记录的链头")
		from := seq + ":" + hash
		c.get("/audit") // a row after the head: the list's read
		r := c.get("/audit/verify?from=" + url.QueryEscape(from))
		wantStatus(t, "from the head", r, http.StatusOK)
		wantBody(t, "from the head", r, "审计链完整：起点第 "+seq+" 条在链中且哈希相符", `value="`+from+`"`)

		sqldbtest.Exec(t, db, `UPDATE audit_log SET purpose = 'x' WHERE seq = 1`)
		wantBody(t, "row 1 rewritten, from the head", c.get("/audit/verify?from="+url.QueryEscape(from)), "审计链完整")
		wantBody(t, "row 1 rewritten, whole", c.get("/audit/verify"), "审计链异常")
		sqldbtest.Exec(t, db, `UPDATE audit_log SET purpose = 'x' WHERE seq = `+seq+` + 1`)
		var n int64
		fmt.Sscan(seq, &n)
		wantBody(t, "the row after the head rewritten", c.get("/audit/verify?from="+url.QueryEscape(from)),
			"审计链异常", fmt.Sprintf("第 %d 条的内容与其哈希不符", n+1))
		wantBody(t, "from with another hash", c.get("/audit/verify?from="+url.QueryEscape(seq+":"+strings.Repeat("0", 64))),
			"审计链异常", "锚点抄错")

		r = c.get("/audit/verify?from=abc")
		wantStatus(t, "unreadable from", r, http.StatusBadRequest)
		wantBody(t, "unreadable from", r, "起点：锚点应为“序号:哈希”", `name="from" value="abc" maxlength="100" placeholder="序号:哈希" aria-describedby="from-help" aria-invalid="true"`)
		wantBody(t, "audit page", c.get("/audit"), `name="from"`)
	})
}

// TestAuditVerifyRunning: a whole check while another runs in the server
// (audit_verify_running) is answered as the fragment with the reason,
// 200 to htmx, which swaps only a 2xx into the result (a full error page
// would leave the button doing nothing), and 429 on the page without
// JavaScript; the form stays. On both engines.
func TestAuditVerifyRunning(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.loggedIn(t, "auditor")
		release := audit.HoldFullVerify()
		defer release()
		r := c.get("/audit/verify", "HX-Request", "true")
		wantStatus(t, "whole check while another runs, htmx", r, http.StatusOK)
		wantBody(t, "whole check while another runs, htmx", r, `id="verify-outcome"`, "另一次全链校验正在进行")
		wantNoBody(t, "whole check while another runs, htmx", r, "<html")
		r = c.get("/audit/verify")
		wantStatus(t, "whole check while another runs", r, http.StatusTooManyRequests)
		wantBody(t, "whole check while another runs", r, `id="verify-outcome"`, "另一次全链校验正在进行", `name="from"`)
	})
}
