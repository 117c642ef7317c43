package server_test

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestConsoleCrossSiteRead: a console page that reads personal data and
// audits it — a record, the record lookup, the audit log — opened with
// the session cookie from a link on another site (Sec-Fetch-Site
// cross-site or same-site) reads nothing and writes no audit row: it
// answers 403 with a page offering the same address as a link of the
// console's own, which, followed (same-origin), reads and audits as
// before. Opened from the console, typed, or by a client that sends no
// Sec-Fetch-Site, the page reads as before. On both engines.
func TestConsoleCrossSiteRead(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		if _, err := demo.Seed(ctx, db, time.Now()); err != nil {
			t.Fatal(err)
		}
		ts := newServer(t, db)
		var entry int64
		if err := db.Read().QueryRowContext(ctx, `SELECT min(id) FROM catalog_entries WHERE status = 'published'`).Scan(&entry); err != nil {
			t.Fatal(err)
		}
		jar, err := cookiejar.New(nil)
		if err != nil {
			t.Fatal(err)
		}
		c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := c.PostForm(ts.URL+"/login", url.Values{"username": {"admin"}, "password": {demo.Password}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("login: %d", resp.StatusCode)
		}
		rows := func() int {
			var n int
			if err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM audit_log`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		get := func(path, site string) (int, string) {
			t.Helper()
			req, err := http.NewRequest("GET", ts.URL+path, nil)
			if err != nil {
				t.Fatal(err)
			}
			if site != "" {
				req.Header.Set("Sec-Fetch-Site", site)
				req.Header.Set("Sec-Fetch-Mode", "navigate")
			}
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(b)
		}
		subject := "440605195101040722"
		id := strconv.FormatInt(entry, 10)
		for _, path := range []string{
			"/records/entries/" + id + "/subjects/" + subject + "?purpose=ATTACKER",
			"/audit",
			"/audit?subject=" + subject,
		} {
			for _, site := range []string{"cross-site", "same-site"} {
				before := rows()
				status, body := get(path, site)
				link := `href="` + html.EscapeString(path) + `"`
				if status != http.StatusForbidden || !strings.Contains(body, "您从其他网站打开了需要记录查询用途的页面，请确认后继续") ||
					!strings.Contains(body, link) || !strings.Contains(body, "cross_site_read") || !strings.Contains(body, "<main>\n<h1>请确认后继续</h1>") {
					t.Errorf("%s %s: %d %.400s, want 403 and a link %s on a plain page (styled as the console's error page)", site, path, status, body, link)
				}
				if n := rows() - before; n != 0 {
					t.Errorf("%s %s: %d audit rows written, want none", site, path, n)
				}
			}
			// The page's link, followed, is a request of the console's
			// own; typed or from a client without the header alike.
			for _, site := range []string{"same-origin", "none", ""} {
				before := rows()
				if status, body := get(path, site); status != http.StatusOK && status != http.StatusNotFound {
					t.Errorf("%q %s: %d %.300s, want the page", site, path, status, body)
				}
				if rows() == before {
					t.Errorf("%q %s: no audit row written", site, path)
				}
			}
		}
		// A page that audits nothing opens from a link as before.
		if status, body := get("/catalog", "cross-site"); status != http.StatusOK {
			t.Errorf("cross-site /catalog: %d %.300s, want 200", status, body)
		}
	})
}
