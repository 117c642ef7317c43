package server_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestReadyzWritesUnanswered: on SQLite, while another process holds the
// write lock (an external BEGIN IMMEDIATE: a command-line import, a
// sqlite3 shell), every write is refused once its wait bound has passed,
// and /readyz says so (503 database writes unanswered), where it answered
// ready; once a write begins in time again, it is ready. While the
// server's own transaction holds the writer (as a long import does), the
// writes refused for it leave /readyz ready: the server is busy, not
// unable to write. (On PostgreSQL a BEGIN waits for no lock; a server
// that stopped answering fails /readyz's ping already.)
func TestReadyzWritesUnanswered(t *testing.T) {
	db, err := sqldb.Open(t.Context(), sqldbtest.SQLite(t).Source, sqldb.Options{WaitTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	seedConsole(t, db)
	ts := newServer(t, db)
	client := &http.Client{Timeout: 8 * time.Second}
	do := func(method, path, body string) (int, string) {
		t.Helper()
		req, err := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	login := func() (int, string) {
		return do("POST", "/api/v1/auth/login", `{"username":"editor","password":"Hutong-Test-2026"}`)
	}
	ready := func() (int, string) { return do("GET", "/readyz", "") }

	release := sqldbtest.HoldAuditHead(t, db)
	if code, body := login(); code != http.StatusServiceUnavailable || !strings.Contains(body, "database_unavailable") {
		t.Fatalf("login while the server's own transaction holds the writer: %d %s, want 503 database_unavailable", code, body)
	}
	if code, body := ready(); code != http.StatusOK {
		t.Errorf("readyz after a write refused for the server's own transaction: %d %q, want 200 ready", code, body)
	}
	release()

	release = sqldbtest.HoldElsewhere(t, "sqlite", db.Source, `BEGIN IMMEDIATE`)
	if code, body := login(); code != http.StatusServiceUnavailable || !strings.Contains(body, "database_unavailable") {
		t.Fatalf("login while another process holds the write lock: %d %s, want 503 database_unavailable", code, body)
	}
	if code, body := ready(); code != http.StatusServiceUnavailable || !strings.HasPrefix(body, "database writes unanswered") {
		t.Errorf("readyz while another process holds the write lock: %d %q, want 503 database writes unanswered", code, body)
	}
	release()
	// Under load a BEGIN can outlast the short bound with nothing held,
	// refusing the login 503 or marking writes unanswered again: both are
	// tried again, for up to a minute, until a login passes and /readyz
	// after it is ready.
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(10 * time.Millisecond) {
		code, body := login()
		if code != http.StatusOK && (code != http.StatusServiceUnavailable || !strings.Contains(body, "database_unavailable")) {
			t.Fatalf("login once the write lock is let go: %d %s", code, body)
		}
		rcode, rbody := ready()
		if code == http.StatusOK && rcode == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("once the write lock is let go: login %d %s, then readyz %d %q; want 200, then 200 ready", code, body, rcode, rbody)
		}
	}
}
