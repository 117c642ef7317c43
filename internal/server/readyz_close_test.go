package server_test

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCloseStopsReadyProbe: Close, which serve calls once the server
// answers no more requests and before it closes the database, stops
// /readyz's probe of the audit log: a probe waiting for the log's head
// (another transaction holds it) has ended when Close returns, the head
// still held, where it ran on for up to 10 s after the server stopped;
// and /readyz starts no other after it, answering 503 shutting down.
// Whether a probe runs is read from the goroutines' stacks. On both
// engines.
func TestCloseStopsReadyProbe(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		_, readKey := seedConsole(t, db)
		s, ts := serveLogging(t, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
		get := getter(t, ts.URL)
		// A read refused (the log unwritable) has /readyz probe the log.
		unblock := sqldbtest.BlockAudit(t, db)
		if code, body := get("/api/v1/audit", readKey); code != http.StatusServiceUnavailable {
			t.Fatalf("read with the audit log unwritable: %d %s, want 503", code, body)
		}
		unblock()
		release := sqldbtest.HoldAuditHead(t, db)
		defer release()
		if code, body := get("/readyz", ""); code != http.StatusServiceUnavailable || !strings.HasPrefix(body, "audit log busy") {
			t.Fatalf("readyz while the audit head is locked: %d %q, want 503 audit log busy", code, body)
		}
		if !sqldbtest.AuditProbing() {
			t.Fatal("no probe of the audit log runs while its head is locked")
		}
		s.Close()
		if sqldbtest.AuditProbing() {
			t.Error("a probe of the audit log still runs after Close")
		}
		if code, body := get("/readyz", ""); code != http.StatusServiceUnavailable || body != "shutting down\n" {
			t.Errorf("readyz after Close: %d %q, want 503 shutting down", code, body)
		}
		if n := s.ReadyProbes(); n != 1 {
			t.Errorf("%d probes run, want the one before Close alone", n)
		}
	})
}
