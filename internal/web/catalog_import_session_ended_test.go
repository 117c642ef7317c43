package web_test

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCatalogImportRefusedOnceSessionEnded: a console catalog import whose
// account is disabled while its file arrives is refused as it commits
// (the session ended), stores nothing and leaves one denied auth.session
// row of the account, as the records upload's refusal does
// (TestUploadRefusedOnceSessionEnded), whether answered on the page or
// streamed (Accept: application/x-ndjson, its result line 401 with
// 登录已失效). Until 2026-12-06 the streamed import's refusal, answered on
// its stream, left no row. On both engines.
func TestCatalogImportRefusedOnceSessionEnded(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		u := f.users["police.admin"]
		ctx := context.Background()
		denied := func() int {
			t.Helper()
			return count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'auth.session' AND outcome = 'denied' AND actor_id = $1`,
				strconv.FormatInt(u.ID, 10))
		}
		setDisabled := func(disabled bool) {
			t.Helper()
			if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
				_, err := org.SetDisabledIf(ctx, tx, audit.Actor{Kind: audit.ActorSystem, ID: "test"}, u.ID, disabled, nil, f.clock.Now())
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		for _, streamed := range []bool{false, true} {
			what := "import on the page, account disabled meanwhile"
			if streamed {
				what = "streamed import, account disabled meanwhile"
			}
			setDisabled(false)
			c := f.client(t)
			tok := c.login("police.admin")
			req := uploadRequest(t, f.srv.URL+"/catalog/import", tok, "catalog.csv", flatCSV(3))
			if !streamed {
				req.Header.Del("Accept")
			}
			// The account is disabled as the server first reads the body,
			// the request authenticated (Expect: 100-continue holds the
			// body back until then).
			req.Body = io.NopCloser(&slowUpload{r: req.Body, clock: f.clock, then: func() { setDisabled(true) }})
			req.GetBody = nil
			req.Header.Set("Expect", "100-continue")
			slow := *c
			slow.http = &http.Client{Jar: c.http.Jar, CheckRedirect: c.http.CheckRedirect,
				Transport: &http.Transport{ExpectContinueTimeout: time.Minute}}
			before := denied()
			if streamed {
				_, lines := streamedImport(t, &slow, req, nil)
				if len(lines) == 0 {
					t.Fatalf("%s: no result line", what)
				}
				if res := lines[len(lines)-1]; res.Status != http.StatusUnauthorized || !strings.Contains(res.HTML, "登录已失效") {
					t.Errorf("%s: result line %+v, want status 401 with 登录已失效", what, res)
				}
			} else {
				r := slow.do(req)
				wantStatus(t, what, r, http.StatusUnauthorized)
				wantBody(t, what, r, "登录已失效")
			}
			if n := countEntries(t, db); n != 0 {
				t.Errorf("%s: %d entries stored, want none", what, n)
			}
			if n := denied() - before; n != 1 {
				t.Errorf("%s: %d denied auth.session rows of the account, want 1", what, n)
			}
		}
	})
}
