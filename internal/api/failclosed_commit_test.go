package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestFailClosedConcurrentReads: every audited read of the API (a subject's
// record, its history, the change feed, the discrepancies, another
// department's batch warnings, the audit log) is sent many times at once,
// so that the audit group commit takes many of them into one transaction,
// while that transaction cannot be written: its COMMIT fails (both
// engines), or on SQLite the file is full (a real SQLITE_FULL). Every
// call — all of them, not most — is refused with 503 audit_unavailable,
// and no audit row is left. Once the fault is removed,
// every read is served and the audit chain verifies.
func TestFailClosedConcurrentReads(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		var reads []routeCall
		for _, c := range failClosedCalls(t, rf, db) {
			if c.audited && c.method == "GET" {
				reads = append(reads, c)
			}
		}
		if len(reads) < 6 {
			t.Fatalf("%d audited reads, want the 6 kinds at least", len(reads))
		}
		faults := []struct {
			name  string
			apply func(*testing.T, *sqldb.DB) func()
		}{{"commit fails", sqldbtest.FailAuditCommit}}
		if db.Dialect == sqldb.SQLite {
			faults = append(faults, struct {
				name  string
				apply func(*testing.T, *sqldb.DB) func()
			}{"disk full", sqldbtest.FillDisk})
		}
		const callers = 64
		for _, f := range faults {
			before := rf.countWhere(t, `SELECT count(*) FROM audit_log`)
			restore := f.apply(t, db)
			results := make([]concurrentResult, callers)
			var start, done sync.WaitGroup
			start.Add(1)
			for i := range callers {
				done.Add(1)
				go func() {
					defer done.Done()
					start.Wait()
					results[i] = concurrentDo(rf.srv.URL, reads[i%len(reads)])
				}()
			}
			start.Done()
			done.Wait()
			refused := 0
			for i, r := range results {
				c := reads[i%len(reads)]
				switch {
				case r.err != nil:
					t.Errorf("%s: GET %s: %v", f.name, c.path, r.err)
				case r.status != 503 || r.code != "audit_unavailable":
					t.Errorf("%s: GET %s: got %d %s %.200s, want 503 audit_unavailable", f.name, c.path, r.status, r.code, r.body)
				default:
					refused++
				}
			}
			t.Logf("%s: %d of %d concurrent audited reads refused", f.name, refused, callers)
			if got := rf.countWhere(t, `SELECT count(*) FROM audit_log`); got != before {
				t.Errorf("%s: %d audit rows after the refused reads, want %d", f.name, got, before)
			}

			restore()
			for _, c := range reads {
				rows := rf.countWhere(t, `SELECT count(*) FROM audit_log`)
				if r := concurrentDo(rf.srv.URL, c); r.err != nil || r.status != c.status {
					t.Errorf("%s, after recovery: GET %s: got %d %s %v %.200s, want %d", f.name, c.path, r.status, r.code, r.err, r.body, c.status)
				} else if got := rf.countWhere(t, `SELECT count(*) FROM audit_log`); got == rows {
					t.Errorf("%s, after recovery: GET %s left no audit row", f.name, c.path)
				}
			}
			if rep, err := audit.Verify(context.Background(), db.Read()); err != nil || rep.Problem != nil {
				t.Errorf("%s: audit chain after recovery: %v %+v", f.name, err, rep.Problem)
			}
		}
	})
}

// concurrentResult is what concurrentDo got back.
type concurrentResult struct {
	status int
	code   string
	body   string
	err    error
}

// concurrentDo sends c to the server at base. Unlike fixture.do it may run
// outside the test's goroutine: it reports failures instead of failing t.
func concurrentDo(base string, c routeCall) concurrentResult {
	req, err := http.NewRequest(c.method, base+c.path, strings.NewReader(c.body))
	if err != nil {
		return concurrentResult{err: err}
	}
	if c.key != "" {
		req.Header.Set("Authorization", "Bearer "+c.key)
	}
	for i := 0; i+1 < len(c.hdr); i += 2 {
		req.Header.Set(c.hdr[i], c.hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return concurrentResult{err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	r := concurrentResult{status: resp.StatusCode, body: string(b), err: err}
	var body struct {
		Code string `json:"code"`
	}
	if json.Unmarshal(b, &body) == nil {
		r.code = body.Code
	}
	return r
}
