package main

import (
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestServeStopsReadyProbe: when serve returns, /readyz's probe of the
// audit log has ended (server.Close), before the database is closed:
// started while another connection holds the log's head, it ran on,
// waiting for the head, for up to 10 s after serve returned. Whether it
// runs is read from the goroutines' stacks (audit.CheckWritable), the head
// still held. On both engines.
func TestServeStopsReadyProbe(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		vars, must := mustNanhaiBureau(t, dsn)
		key := regexp.MustCompile(`htk_\S+`).FindString(must("app", "create", "-name", "查询", "-department", "1", "-scopes", "catalog.read"))
		url, out, stopServe := startServe(t, vars, "serve")
		stop := sync.OnceValue(stopServe)
		defer stop()
		db, err := sqldb.Open(t.Context(), dsn, sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		// A read refused (the log unwritable) has /readyz probe the log.
		unblock := sqldbtest.BlockAudit(t, db)
		if code, body := get(t, url+"/api/v1/audit", key); code != http.StatusServiceUnavailable {
			t.Fatalf("read with the audit log unwritable: %d %s, want 503", code, body)
		}
		unblock()
		release := sqldbtest.HoldAuditHead(t, db)
		defer release()
		if code, body := get(t, url+"/readyz", key); code != http.StatusServiceUnavailable || !strings.HasPrefix(body, "audit log busy") {
			t.Fatalf("readyz while the audit head is locked: %d %q, want 503 audit log busy", code, body)
		}
		if !sqldbtest.AuditProbing() {
			t.Fatal("no probe of the audit log runs while its head is locked")
		}
		if err := stop(); err != nil {
			t.Fatalf("serve: %v\n%s", err, out.String())
		}
		if sqldbtest.AuditProbing() {
			t.Errorf("a probe of the audit log still runs after serve returned")
		}
	})
}
