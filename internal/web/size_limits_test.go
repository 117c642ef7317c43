package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/web"
)

// TestSizeLimitsInMB: the console says its body limits in the units they
// are counted in, binary megabytes, by the name Windows gives them, MB:
// the upload page's hint says the upload route's limit (web.MaxUploadBody,
// 256 << 20 bytes) as 256 MB, and a form over its limit (web.MaxFormBody)
// is refused as over 1 MB. Until 2026-12-05 they said MiB, a name users do
// not know; before that, MB of a limit rounded down. On both engines.
func TestSizeLimitsInMB(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		tok := c.login("police.admin")
		r := c.get("/records/upload")
		wantStatus(t, "upload page", r, http.StatusOK)
		wantBody(t, "upload page", r, fmt.Sprintf("文件不超过 %d MB，", web.MaxUploadBody>>20))
		wantNoBody(t, "upload page", r, "MiB")
		r = c.post("/records/discrepancies/1/feedback", url.Values{"csrf_token": {tok}, "x": {strings.Repeat("x", web.MaxFormBody)}})
		wantStatus(t, "oversized form", r, http.StatusRequestEntityTooLarge)
		wantBody(t, "oversized form", r, fmt.Sprintf("提交内容超过 %d MB 上限", web.MaxFormBody>>20))
		wantNoBody(t, "oversized form", r, "MiB")
	})
}
