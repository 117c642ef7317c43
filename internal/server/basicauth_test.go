package server_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// basicAuth adds the Authorization header a reverse proxy doing HTTP
// Basic authentication (nginx auth_basic) passes through to every request.
type basicAuth struct{ next http.RoundTripper }

func (b basicAuth) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Basic aW50cmFuZXQ6c2VjcmV0")
	return b.next.RoundTrip(r)
}

// TestConsoleBehindBasicAuth: a console behind a proxy that passes on its
// HTTP Basic credentials is usable — the login page, the static files, the
// login and the pages of the session it opens — where every path answered
// 401 invalid_authorization; the API still refuses another scheme than
// Bearer (401 invalid_authorization), so that a client is told its
// credential is not taken.
func TestConsoleBehindBasicAuth(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ts := newServer(t, db)
		seedConsole(t, db)
		jar, err := cookiejar.New(nil)
		if err != nil {
			t.Fatal(err)
		}
		c := &http.Client{Jar: jar, Transport: basicAuth{http.DefaultTransport}}
		for _, path := range []string{"/login", "/static/app.css"} {
			resp, err := c.Get(ts.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("GET %s with Basic credentials: %d, want 200", path, resp.StatusCode)
			}
		}
		resp, err := c.PostForm(ts.URL+"/login", url.Values{"username": {"editor"}, "password": {"Hutong-Test-2026"}})
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/" {
			t.Errorf("POST /login with Basic credentials: %d at %s, want 200 at /", resp.StatusCode, resp.Request.URL.Path)
		}
		resp, err = c.Get(ts.URL + "/")
		if err != nil {
			t.Fatal(err)
		}
		home, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(home), "李编制") {
			t.Errorf("GET / with Basic credentials and a session: %d, want 200 naming 李编制:\n%.500s", resp.StatusCode, home)
		}

		resp, err = c.Get(ts.URL + "/api/v1/catalog/entries")
		if err != nil {
			t.Fatal(err)
		}
		problem, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(string(problem), `"code":"invalid_authorization"`) {
			t.Errorf("API with Basic credentials: %d %s, want 401 invalid_authorization", resp.StatusCode, problem)
		}
	})
}
