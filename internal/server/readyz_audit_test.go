package server_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestReadyzRefusesUnwritableAudit: once the audit log cannot be written
// (the store full or read-only), every audited read is refused with 503
// audit_unavailable, and /readyz answers 503 saying so, so that the load
// balancer stops sending traffic the server refuses; once the log can be
// written again, /readyz answers 200 without any read having to succeed
// first, and its probes left no row in the chain.
func TestReadyzRefusesUnwritableAudit(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		_, readKey := seedConsole(t, db)
		ts := newServer(t, db)
		get := func(path, key string) (int, string) {
			t.Helper()
			req, err := http.NewRequest("GET", ts.URL+path, nil)
			if err != nil {
				t.Fatal(err)
			}
			if key != "" {
				req.Header.Set("Authorization", "Bearer "+key)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(body)
		}
		auditRows := func() int {
			t.Helper()
			rep, err := audit.Verify(t.Context(), db.Read())
			if err != nil || rep.Problem != nil {
				t.Fatalf("audit chain: %v %+v", err, rep.Problem)
			}
			return int(rep.Rows)
		}
		if code, body := get("/readyz", ""); code != 200 {
			t.Fatalf("readyz before: %d %s", code, body)
		}

		unblock := sqldbtest.BlockAudit(t, db)
		// Readiness follows what the reads found, not a probe of its own
		// on every call: before a read fails it is still ready.
		if code, body := get("/readyz", ""); code != 200 {
			t.Fatalf("readyz before any read failed: %d %s", code, body)
		}
		rows := auditRows()
		// A refused read of the audit log (the app lacks audit.read)
		// writes its denied row through the group: it fails closed.
		code, body := get("/api/v1/audit", readKey)
		var problem struct{ Code string }
		json.Unmarshal([]byte(body), &problem)
		if code != http.StatusServiceUnavailable || problem.Code != "audit_unavailable" {
			t.Fatalf("read with the audit log unwritable: got %d %s, want 503 audit_unavailable", code, body)
		}
		for i := range 3 {
			code, body := get("/readyz", "")
			if code != http.StatusServiceUnavailable || !strings.Contains(body, "audit log not writable") {
				t.Fatalf("readyz %d with the audit log unwritable: got %d %q, want 503 audit log not writable", i, code, body)
			}
		}

		unblock()
		if code, body := get("/readyz", ""); code != 200 || body != "ready\n" {
			t.Fatalf("readyz once the audit log is writable: got %d %q, want 200 ready", code, body)
		}
		if got := auditRows(); got != rows {
			t.Errorf("the readiness probes changed the audit log: %d rows, want %d", got, rows)
		}
		if code, body := get("/api/v1/audit", readKey); code != http.StatusForbidden {
			t.Errorf("read after recovery: got %d %s, want 403 (its denied row written)", code, body)
		}
		if got := auditRows(); got != rows+1 {
			t.Errorf("after the refused read: %d rows, want %d", got, rows+1)
		}
	})
}
