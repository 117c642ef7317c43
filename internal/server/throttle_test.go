package server_test

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestThrottledAddressAnswers: once an address has failed to
// authenticate auth.FailureLimit times, the console's login, the API's
// and an API key from it are answered 429 too_many_failures with
// Retry-After and the Chinese message — a problem document under /api/,
// the login page in the console — the right password and a valid key
// included. On both engines.
func TestThrottledAddressAnswers(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ts := newServer(t, db)
		_, key := seedConsole(t, db)
		do := func(method, path, ctype, body, authorization string) (*http.Response, string) {
			t.Helper()
			req, err := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			if ctype != "" {
				req.Header.Set("Content-Type", ctype)
			}
			if authorization != "" {
				req.Header.Set("Authorization", authorization)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp, string(b)
		}
		form := "application/x-www-form-urlencoded"
		for i := range auth.FailureLimit {
			resp, _ := do("POST", "/login", form, url.Values{"username": {"spray" + strconv.Itoa(i)}, "password": {"Hutong-Test-2026"}}.Encode(), "")
			if resp.StatusCode == http.StatusTooManyRequests {
				t.Fatalf("login %d: throttled before the limit", i+1)
			}
		}
		for _, tc := range []struct{ what, method, path, ctype, body, authorization, answer string }{
			{"console login", "POST", "/login", form, url.Values{"username": {"editor"}, "password": {"Hutong-Test-2026"}}.Encode(), "", "text/html"},
			{"API login", "POST", "/api/v1/auth/login", "application/json", `{"username":"editor","password":"Hutong-Test-2026"}`, "", "application/problem+json"},
			{"API key", "GET", "/api/v1/catalog/entries", "", "", "Bearer " + key, "application/problem+json"},
		} {
			resp, body := do(tc.method, tc.path, tc.ctype, tc.body, tc.authorization)
			if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" ||
				!strings.HasPrefix(resp.Header.Get("Content-Type"), tc.answer) || !strings.Contains(body, "认证失败次数过多") {
				t.Errorf("%s: %d Retry-After %q %s %.300s, want 429 too_many_failures as %s", tc.what, resp.StatusCode,
					resp.Header.Get("Retry-After"), resp.Header.Get("Content-Type"), body, tc.answer)
			}
		}
	})
}
