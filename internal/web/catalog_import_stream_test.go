package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCatalogImportStreamAuditUnavailable: a streamed import (Accept:
// application/x-ndjson) with the audit log down stores nothing and ends
// with a result line of status 503 that shows the audit log's message and
// no report. Its audit rows are appended as it commits (audit.Record),
// after its rows are stored and their progress streamed, the last line
// (all rows done) too: the answer's 200 only carries the lines and the
// result line says 503, for a good file as for one with good_only and its
// first 100 rows bad. Until 2026-12-05 the first audit row was appended
// before any progress line, and a good file's answer was 503 itself.
func TestCatalogImportStreamAuditUnavailable(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		tok := c.login("police.admin")
		bad := strings.ReplaceAll(string(flatCSV(100)), ",无条件共享,", ",随便,")
		good := strings.ReplaceAll(string(flatCSV(5)), "批量资源", "合格资源")
		late := bad + good[strings.Index(good, "\n")+1:]
		const msg = "审计日志暂时无法写入"
		before := count(t, db, `SELECT count(*) FROM audit_log`)
		unblock := sqldbtest.BlockAudit(t, db)
		for _, tt := range []struct {
			name, file string
			good       bool
			status     int
			progress   int // progress lines before the result, at least
		}{
			{"refused as it commits", string(flatCSV(3)), false, http.StatusOK, 1},
			{"refused after progress", late, true, http.StatusOK, 1},
		} {
			var fields []string
			if tt.good {
				fields = []string{"good_only", "yes"}
			}
			status, lines := streamedImport(t, c, uploadRequest(t, f.srv.URL+"/catalog/import", tok, "catalog.csv", []byte(tt.file), fields...), nil)
			if status != tt.status || len(lines) < tt.progress+1 {
				t.Errorf("%s: got %d with %d lines, want %d with at least %d", tt.name, status, len(lines), tt.status, tt.progress+1)
				continue
			}
			for i, l := range lines[:len(lines)-1] {
				if l.Done == nil {
					t.Errorf("%s: line %d %+v, want progress", tt.name, i+1, l)
				}
			}
			res := lines[len(lines)-1]
			if res.Status != http.StatusServiceUnavailable || res.Done != nil || !strings.Contains(res.HTML, msg) ||
				strings.Contains(res.HTML, `id="import-report"`) {
				t.Errorf("%s: result line %+v, want status 503 with the audit log's message and no report", tt.name, res)
			}
			if n := countEntries(t, db); n != 0 {
				t.Errorf("%s: %d entries stored, want none", tt.name, n)
			}
		}
		unblock()
		if after := count(t, db, `SELECT count(*) FROM audit_log`); after != before {
			t.Errorf("audit rows: %d, want %d", after, before)
		}
	})
}
