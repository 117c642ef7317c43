package web_test

import (
	"bufio"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCatalogImportStreamBusyRetryAfter: a streamed import refused for a
// temporary condition says when to retry, as the console's other 503s
// and the API's do. Refused before any progress line (the catalog's
// writes held by another transaction past the write's bound: 503
// database_unavailable), the answer is 503 with Retry-After; refused
// after progress (the audit log down as it commits), the answer is 200
// and its result line says 503. Either way the result line carries
// retry_after, which the page's script says (TestCatalogImportBusy in
// internal/e2e). Until 2026-12-06 neither said when to retry. The
// database's wait bound is shortened to two seconds, where the refusal
// before progress waited the server's 15 on each engine.
func TestCatalogImportStreamBusyRetryAfter(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, err := sqldb.Open(t.Context(), dsn, sqldb.Options{WaitTimeout: 2 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		f := newFixture(t, db)
		c := f.client(t)
		tok := c.login("police.admin")
		type result struct {
			Done       *int   `json:"done"`
			Status     int    `json:"status"`
			HTML       string `json:"html"`
			RetryAfter int    `json:"retry_after"`
		}
		importNow := func() (*http.Response, result) {
			t.Helper()
			resp, err := c.http.Do(uploadRequest(t, f.srv.URL+"/catalog/import", tok, "catalog.csv", flatCSV(3)))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var last result
			sc := bufio.NewScanner(resp.Body)
			for sc.Scan() {
				last = result{}
				if err := json.Unmarshal(sc.Bytes(), &last); err != nil {
					t.Fatalf("line %q: %v", sc.Text(), err)
				}
			}
			return resp, last
		}

		release := sqldbtest.HoldWrite(t, db, "catalog_entries")
		resp, res := importNow()
		release()
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") != "5" {
			t.Errorf("refused before progress: %d, Retry-After %q; want 503 with Retry-After 5", resp.StatusCode, resp.Header.Get("Retry-After"))
		}
		if res.Status != http.StatusServiceUnavailable || res.RetryAfter != 5 || !strings.Contains(res.HTML, "数据库繁忙") {
			t.Errorf("refused before progress: result %+v; want 503, retry_after 5, the database's message", res)
		}

		unblock := sqldbtest.BlockAudit(t, db)
		resp, res = importNow()
		unblock()
		if resp.StatusCode != http.StatusOK || res.Done != nil || res.Status != http.StatusServiceUnavailable || res.RetryAfter != 5 {
			t.Errorf("refused after progress: %d, result %+v; want 200 with a result of 503, retry_after 5", resp.StatusCode, res)
		}
		if n := countEntries(t, db); n != 0 {
			t.Errorf("%d entries stored, want none", n)
		}
	})
}
