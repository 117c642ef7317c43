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

// TestReadyzWhileWriting: a write transaction held open (a long batch
// push; on SQLite it holds the one writer connection) leaves the server
// reachable: /readyz answers 200 at once rather than "database
// unreachable" once its 2-second ping of the writer times out.
func TestReadyzWhileWriting(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ts := newServer(t, db)
		holding, release, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
		go func() {
			done <- db.Tx(t.Context(), func(tx *sqldb.Tx) error {
				if _, err := tx.ExecContext(t.Context(), `UPDATE schema_migrations SET name = name`); err != nil {
					return err
				}
				close(holding)
				<-release
				return nil
			})
		}()
		select {
		case <-holding:
		case err := <-done:
			t.Fatalf("write transaction: %v", err)
		}
		start := time.Now()
		resp, err := http.Get(ts.URL + "/readyz")
		close(release)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("readyz while a write transaction is open: %d %q after %v, want 200", resp.StatusCode, body, time.Since(start))
		}
		if err := <-done; err != nil {
			t.Fatalf("write transaction: %v", err)
		}
	})
}

// TestReadyzLogsOnChange: an unready server probed again and again logs
// one warning naming the check that failed, not one per probe, and the
// request lines of its 503s are warnings, not errors (another route's 503
// stays an error).
func TestReadyzLogsOnChange(t *testing.T) {
	db := sqldbtest.SQLite(t)
	var logged lockedBuffer
	_, ts := serveLogging(t, db, slog.New(slog.NewTextHandler(&logged, nil)))
	db.Close()
	const n = 5
	for i := range n {
		resp, err := http.Get(ts.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "database unreachable") {
			t.Fatalf("readyz %d with the database closed: %d %q, want 503 database unreachable", i, resp.StatusCode, body)
		}
	}
	out := logged.String()
	if got := strings.Count(out, `msg="readiness: not ready" check="database ping"`); got != 1 {
		t.Errorf("%d readiness warnings naming the database ping after %d probes, want 1:\n%s", got, n, out)
	}
	warned := 0
	for line := range strings.Lines(out) {
		if strings.Contains(line, "msg=request ") && strings.Contains(line, " path=/readyz status=503 ") {
			if !strings.Contains(line, "level=WARN ") {
				t.Errorf("a /readyz 503 not logged as a warning: %s", line)
			}
			warned++
		}
	}
	if warned != n {
		t.Errorf("%d request lines of /readyz 503, want %d:\n%s", warned, n, out)
	}
}
