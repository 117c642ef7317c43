package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRecordsBatchCrash kills the server (SIGKILL) in the middle of a
// record batch and checks the database: the acknowledged batch is all
// there, nothing of the interrupted one is, and the counters agree.
func TestRecordsBatchCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the server")
	}
	bin := builtHutong(t)
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db, err := sqldb.Open(ctx, dsn, sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		dept := recordstest.Department(t, db, "公安分局", 1)
		entry := recordstest.Entry(t, db, dept, recordstest.Spec{Code: "101001/000001", Name: "户籍人口信息", SubjectKind: "person",
			Items: []records.Item{{Name: "姓名", Type: "C", Length: 20}}})
		var key string
		err = db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, key, err = org.CreateApp(ctx, tx, audit.Actor{Kind: audit.ActorSystem, ID: "test"},
				org.NewApp{Name: "推送", DepartmentID: dept, Scopes: []string{"records.write"}}, time.Now())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}

		url, stop := startServer(t, bin, dsn)
		defer stop()
		batchURL := fmt.Sprintf("%s/api/v1/records/entries/%d/batches", url, entry)
		lines := func(prefix string, from, to int) string {
			var b strings.Builder
			for i := from; i < to; i++ {
				fmt.Fprintf(&b, `{"op":"add","subject_id":%q,"produced_at":"2026-03-02T10:00:00+08:00","key":"%s-%d","values":{"姓名":"人%d"}}`+"\n",
					recordstest.CitizenID(i), prefix, i, i)
			}
			return b.String()
		}
		// Batch A is acknowledged.
		req, _ := http.NewRequest("POST", batchURL, strings.NewReader(lines("A", 0, 1000)))
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", "application/x-ndjson")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("batch A: %d %s", resp.StatusCode, body)
		}

		// Batch B arrives whole (the server spools a batch before it
		// applies it); once its transaction has written, the server is
		// killed. 200,000 lines take the server seconds to apply.
		req, _ = http.NewRequest("POST", batchURL, strings.NewReader(lines("B", 1000, 201000)))
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", "application/x-ndjson")
		done := make(chan error, 1)
		go func() {
			resp, err := http.DefaultClient.Do(req)
			if err == nil {
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				err = fmt.Errorf("batch B answered %d: %s", resp.StatusCode, b)
			}
			done <- err
		}()
		waitFor(t, func() bool {
			if db.Dialect == sqldb.Postgres {
				var n int
				db.Read().QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity
					WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid()`).Scan(&n)
				return n > 0
			}
			return writeLocked(t, dsn)
		})
		stop()
		if err := <-done; err == nil || strings.Contains(err.Error(), "answered") {
			t.Fatalf("batch B should have failed with the connection: %v", err)
		}

		// Reopen (for SQLite: a new process's view after the crash).
		db.Close()
		db, err = sqldb.Open(ctx, dsn, sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		count := func(q string) int {
			var n int
			if err := db.Read().QueryRowContext(ctx, q).Scan(&n); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			return n
		}
		if n := count(`SELECT count(*) FROM record_versions WHERE op_key LIKE 'A-%'`); n != 1000 {
			t.Errorf("acknowledged batch A: %d versions, want 1000", n)
		}
		if n := count(`SELECT count(*) FROM record_versions WHERE op_key LIKE 'B-%'`); n != 0 {
			t.Errorf("interrupted batch B: %d versions survived, want 0", n)
		}
		if n := count(`SELECT count(*) FROM (SELECT DISTINCT entry_id, subject_id FROM record_versions) AS r`); n != 1000 {
			t.Errorf("records = %d, want 1000", n)
		}
		if n := count(`SELECT count(*) FROM record_batches`); n != 1 {
			t.Errorf("batches = %d, want 1", n)
		}
		if n := count(`SELECT last_seq FROM record_entry_stats`); n != 1000 {
			t.Errorf("last_seq = %d, want 1000", n)
		}
		if db.Dialect == sqldb.SQLite {
			var ok string
			db.Read().QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&ok)
			if ok != "ok" {
				t.Errorf("integrity_check = %s", ok)
			}
		}
		// The server comes back and takes batch B again.
		url, stop = startServer(t, bin, dsn)
		defer stop()
		batchURL = fmt.Sprintf("%s/api/v1/records/entries/%d/batches", url, entry)
		req, _ = http.NewRequest("POST", batchURL, strings.NewReader(lines("B", 1000, 3000)))
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", "application/x-ndjson")
		resp, err = http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated || !strings.Contains(string(body), `"first_seq":1001`) {
			t.Errorf("batch B after restart: %d %s", resp.StatusCode, body)
		}
	})
}

// startServer runs hutong serve on a free port and returns its URL and a
// function that kills it with SIGKILL (idempotent).
func startServer(t *testing.T, bin, dsn string) (string, func()) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.Command(bin, "serve", "--db", dsn, "--addr", addr)
	cmd.Env = append(os.Environ(), "HUTONG_LOG_FORMAT=json")
	log, err := os.Create(filepath.Join(t.TempDir(), "server.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = log, log
	t.Cleanup(func() {
		if t.Failed() {
			b, _ := os.ReadFile(log.Name())
			t.Logf("server log:\n%s", b)
		}
	})
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	stop := func() {
		if !killed {
			killed = true
			cmd.Process.Signal(syscall.SIGKILL)
			cmd.Wait()
		}
	}
	url := "http://" + addr
	waitFor(t, func() bool {
		resp, err := http.Get(url + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	return url, stop
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out waiting")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// writeLocked reports whether another connection holds the SQLite
// database's write lock.
func writeLocked(t *testing.T, path string) bool {
	probe, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(0)&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer probe.Close()
	tx, err := probe.Begin()
	if err != nil {
		return strings.Contains(err.Error(), "locked") || strings.Contains(err.Error(), "busy")
	}
	tx.Rollback()
	return false
}
