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

// TestThrottledAddressAnswers: once an address has failed to log in
// auth.FailureLimit times, the console's login and the API's from it are
// answered 429 too_many_failures with Retry-After and the Chinese message
// — a problem document under /api/, the login page in the console — the
// right password included, while a valid API key from it is answered
// 200; once it has also presented auth.FailureLimit bad keys, a bad key
// is answered 429 too_many_failures, a problem document, and a valid key
// still 200. On both engines.
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
		bad := "Bearer htk_abcdef012345_" + strings.Repeat("w", 43)
		validKey := func(when string) {
			t.Helper()
			if resp, body := do("GET", "/api/v1/catalog/entries", "", "", "Bearer "+key); resp.StatusCode != http.StatusOK {
				t.Errorf("a valid key %s: %d %.300s, want 200", when, resp.StatusCode, body)
			}
		}
		throttled := func(what, method, path, ctype, body, authorization, answer, message string) {
			t.Helper()
			resp, got := do(method, path, ctype, body, authorization)
			if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" ||
				!strings.HasPrefix(resp.Header.Get("Content-Type"), answer) || !strings.Contains(got, message) {
				t.Errorf("%s: %d Retry-After %q %s %.300s, want 429 too_many_failures as %s saying %s", what, resp.StatusCode,
					resp.Header.Get("Retry-After"), resp.Header.Get("Content-Type"), got, answer, message)
			}
		}
		for i := range auth.FailureLimit {
			resp, _ := do("POST", "/login", form, url.Values{"username": {"spray" + strconv.Itoa(i)}, "password": {"Hutong-Test-2026"}}.Encode(), "")
			if resp.StatusCode == http.StatusTooManyRequests {
				t.Fatalf("login %d: throttled before the limit", i+1)
			}
		}
		throttled("console login", "POST", "/login", form, url.Values{"username": {"editor"}, "password": {"Hutong-Test-2026"}}.Encode(), "",
			"text/html", "登录失败次数过多")
		throttled("API login", "POST", "/api/v1/auth/login", "application/json", `{"username":"editor","password":"Hutong-Test-2026"}`, "",
			"application/problem+json", "登录失败次数过多")
		validKey("from an address throttled for failed logins")
		for i := range auth.FailureLimit {
			if resp, _ := do("GET", "/api/v1/catalog/entries", "", "", bad); resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("bad key %d: %d, want 401", i+1, resp.StatusCode)
			}
		}
		throttled("bad key", "GET", "/api/v1/catalog/entries", "", "", bad, "application/problem+json", "密钥认证失败次数过多")
		validKey("from an address throttled for failed keys")
	})
}
