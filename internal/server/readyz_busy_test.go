package server_test

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestReadyzAnswersWhileAuditHeadLocked: while a transaction holds the
// audit log's head (a long import, another session's lock) after a read
// was refused, /readyz answers at once (readyProbeWait), 503 audit log busy, where
// it waited for its probe of the log, blocked on the same lock, for up to
// 10 s, longer than a load balancer waits (1 s by default on Kubernetes);
// one probe runs meanwhile, in the background; the state is logged once,
// and /readyz answers 200 again soon after the lock is released.
func TestReadyzAnswersWhileAuditHeadLocked(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		_, readKey := seedConsole(t, db)
		var logged lockedBuffer
		s, ts := serveLogging(t, db, slog.New(slog.NewTextHandler(&logged, nil)))
		client := &http.Client{Timeout: 5 * time.Second}
		get := func(path, key string) (int, string, time.Duration) {
			t.Helper()
			req, err := http.NewRequest("GET", ts.URL+path, nil)
			if err != nil {
				t.Fatal(err)
			}
			if key != "" {
				req.Header.Set("Authorization", "Bearer "+key)
			}
			start := time.Now()
			resp, err := client.Do(req)
			if err != nil {
				t.Errorf("GET %s: %v after %v", path, err, time.Since(start).Round(time.Millisecond))
				return 0, "", time.Since(start)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(body), time.Since(start)
		}

		// A read refused (the log unwritable) has /readyz probe the log.
		unblock := sqldbtest.BlockAudit(t, db)
		if code, body, _ := get("/api/v1/audit", readKey); code != http.StatusServiceUnavailable {
			t.Fatalf("read with the audit log unwritable: %d %s, want 503", code, body)
		}
		unblock()

		release := sqldbtest.HoldAuditHead(t, db)
		for i := range 4 {
			code, body, took := get("/readyz", "")
			// The bound is readyProbeWait (0.5 s); 4 s leaves a loaded CI
			// machine room while staying far below the probe's 10 s wait.
			if took > 4*time.Second {
				t.Errorf("readyz %d while the audit head is locked took %v, want well below the probe's 10s", i, took.Round(time.Millisecond))
			}
			if code != http.StatusServiceUnavailable || !strings.HasPrefix(body, "audit log busy") {
				t.Errorf("readyz %d while the audit head is locked: %d %q, want 503 audit log busy", i, code, body)
			}
		}
		if n := s.ReadyProbes(); n != 1 {
			t.Errorf("%d probes of the audit log while the first waits for its lock, want 1", n)
		}
		release()

		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(100 * time.Millisecond) {
			code, body, _ := get("/readyz", "")
			if code == http.StatusOK && body == "ready\n" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("readyz once the audit head is free: %d %q, want 200 ready", code, body)
			}
		}
		log := logged.String()
		if n := strings.Count(log, `msg="readiness: not ready"`); n != 1 || !strings.Contains(log, `check="audit busy"`) {
			t.Errorf("log: %d not ready lines, want 1 with check=\"audit busy\":\n%s", n, log)
		}
		if n := strings.Count(log, `msg="readiness: ready again"`); n != 1 {
			t.Errorf("log: %d ready again lines, want 1:\n%s", n, log)
		}
	})
}
