package server_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestLoginRowLockBounded: a login whose bound (sqldb.DB.BoundedTx) runs
// out while it waits for its account's row, which another transaction
// has locked (on PostgreSQL the row's lock, as a login of the same
// account takes it; on SQLite the one writer, which that transaction
// holds), is answered 503 database_unavailable with Retry-After, by the
// API and by the console, not 500.
func TestLoginRowLockBounded(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, err := sqldb.Open(t.Context(), dsn, sqldb.Options{WaitTimeout: 200 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		seedConsole(t, db)
		ts := newServer(t, db)
		client := &http.Client{Timeout: 8 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		}}
		post := func(path, contentType, body string) (*http.Response, string) {
			t.Helper()
			resp, err := client.Post(ts.URL+path, contentType, strings.NewReader(body))
			if err != nil {
				t.Fatalf("POST %s: %v", path, err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp, string(b)
		}
		apiLogin := func() (*http.Response, string) {
			return post("/api/v1/auth/login", "application/json", `{"username":"editor","password":"Hutong-Test-2026"}`)
		}
		consoleLogin := func() (*http.Response, string) {
			return post("/login", "application/x-www-form-urlencoded",
				url.Values{"username": {"editor"}, "password": {"Hutong-Test-2026"}}.Encode())
		}

		ctx := context.Background()
		held, done := make(chan struct{}), make(chan struct{})
		holder := make(chan error, 1)
		go func() {
			holder <- db.Tx(ctx, func(tx *sqldb.Tx) error {
				if _, err := tx.ExecContext(ctx, `UPDATE users SET id = id WHERE username = 'editor'`); err != nil {
					close(held)
					return err
				}
				close(held)
				<-done
				return nil
			})
		}()
		<-held
		defer func() {
			close(done)
			if err := <-holder; err != nil {
				t.Error(err)
			}
		}()

		for _, c := range []struct {
			name  string
			login func() (*http.Response, string)
		}{{"API login", apiLogin}, {"console login", consoleLogin}} {
			resp, body := c.login()
			if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "database_unavailable") {
				t.Errorf("%s while its account's row is locked: %d %.300s, want 503 database_unavailable", c.name, resp.StatusCode, body)
			}
			if resp.Header.Get("Retry-After") == "" {
				t.Errorf("%s while its account's row is locked: no Retry-After", c.name)
			}
		}
	})
}
