package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/server"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestReadyzRefusesUnwritableAudit: once the audit log cannot be written
// (the store full or read-only), every audited read is refused with 503
// audit_unavailable, and /readyz answers 503 saying so, so that the load
// balancer stops sending traffic the server refuses; once the log can be
// written again, /readyz answers 200 without any read having to succeed
// first (once the last probe's result, reused for a second, is past), and
// its probes left no row in the chain.
func TestReadyzRefusesUnwritableAudit(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		_, readKey := seedConsole(t, db)
		get := getter(t, newServer(t, db).URL)
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
		// The last probe's result answers for a second (readyProbeEvery).
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(100 * time.Millisecond) {
			code, body := get("/readyz", "")
			if code == 200 && body == "ready\n" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("readyz once the audit log is writable: got %d %q, want 200 ready within a second or so", code, body)
			}
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

// TestReadyzProbesOnce: while the audit log is unwritable, concurrent
// /readyz calls run one probe of it (each probe a write transaction that
// locks the log's head, queuing behind the writers), the others answered
// its result, and the log has one warning for the server turning unready
// and one line for it turning ready again; before, every call probed and
// logged a warning, so a flood of anonymous probes starved the writers.
func TestReadyzProbesOnce(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		_, readKey := seedConsole(t, db)
		var logged lockedBuffer
		s, err := server.New(server.Config{DB: db, Log: slog.New(slog.NewTextHandler(&logged, nil))})
		if err != nil {
			t.Fatal(err)
		}
		s.SetReadyProbeEvery(time.Hour)
		ts := httptest.NewServer(s)
		t.Cleanup(ts.Close)
		get := func(path, key string) int {
			req, err := http.NewRequest("GET", ts.URL+path, nil)
			if err != nil {
				t.Error(err)
				return 0
			}
			if key != "" {
				req.Header.Set("Authorization", "Bearer "+key)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return 0
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		unblock := sqldbtest.BlockAudit(t, db)
		if code := get("/api/v1/audit", readKey); code != http.StatusServiceUnavailable {
			t.Fatalf("read with the audit log unwritable: %d, want 503", code)
		}
		const n = 20
		codes := make(chan int, n)
		var wg sync.WaitGroup
		for range n {
			wg.Add(1)
			go func() { defer wg.Done(); codes <- get("/readyz", "") }()
		}
		wg.Wait()
		close(codes)
		for code := range codes {
			if code != http.StatusServiceUnavailable {
				t.Errorf("readyz with the audit log unwritable: %d, want 503", code)
			}
		}
		if got := s.ReadyProbes(); got != 1 {
			t.Errorf("%d concurrent readyz calls ran %d probes, want 1", n, got)
		}
		if got := strings.Count(logged.String(), `level=WARN msg="readiness: not ready" check="audit writable"`); got != 1 {
			t.Errorf("%d readiness warnings after %d readyz calls, want 1:\n%s", got, n, logged.String())
		}

		unblock()
		s.SetReadyProbeEvery(time.Nanosecond)
		if code := get("/readyz", ""); code != 200 {
			t.Errorf("readyz once the audit log is writable: %d, want 200", code)
		}
		get("/readyz", "")
		if got := s.ReadyProbes(); got != 2 {
			t.Errorf("%d probes after recovery, want 2 (none once ready)", got)
		}
		if out := logged.String(); strings.Count(out, "readiness: not ready") != 1 || strings.Count(out, "ready again") != 1 {
			t.Errorf("log after recovery, want one readiness warning and one ready again:\n%s", out)
		}

		// The log fails, a probe finds it writable again, and it fails
		// again: calls that come while the first probe of this failure
		// runs wait for it, and do not answer the result of the probe
		// that found the log writable.
		unblock = sqldbtest.BlockAudit(t, db)
		get("/api/v1/audit", readKey)
		unblock()
		if code := get("/readyz", ""); code != 200 {
			t.Errorf("readyz once the audit log is writable again: %d, want 200", code)
		}
		sqldbtest.BlockAudit(t, db)
		if code := get("/api/v1/audit", readKey); code != http.StatusServiceUnavailable {
			t.Fatalf("read with the audit log unwritable again: %d, want 503", code)
		}
		codes = make(chan int, n)
		for range n {
			wg.Add(1)
			go func() { defer wg.Done(); codes <- get("/readyz", "") }()
		}
		wg.Wait()
		close(codes)
		for code := range codes {
			if code != http.StatusServiceUnavailable {
				t.Errorf("readyz with the audit log unwritable again: %d, want 503", code)
			}
		}
	})
}

// getter returns a function that GETs a path of the server at url, with
// the key as a bearer token unless it is empty, and answers the status
// and the body; it fails the test when the request cannot be made.
func getter(t *testing.T, url string) func(path, key string) (int, string) {
	return func(path, key string) (int, string) {
		t.Helper()
		req, err := http.NewRequest("GET", url+path, nil)
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
}

// lockedBuffer is a bytes.Buffer the server's goroutines write at once.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
