package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/org/orgtest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

var usersHrefRE = regexp.MustCompile(`href="(/org(?:/users)?[^"#]*)`)

// TestUsersPageParams: /org/users names its search and cursor as /org
// names its accounts' list's (user_q, user_cursor), where it took q and
// cursor; a link with the old names is redirected to the new ones, its
// other parameters kept; a parameter the page does not take is refused 400
// unknown_parameter with a Chinese page naming it, where the list was shown
// unsearched. Every link the page gives (pager, 清除搜索, accounts, 新增账号)
// answers 200, and the operator, sent on to /org, keeps the search. On both
// engines.
func TestUsersPageParams(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		by := audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"}
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			for i := range 55 {
				if _, err := orgtest.CreateUser(ctx, tx, by, org.NewUser{Username: fmt.Sprintf("clerk%03d", i),
					DisplayName: fmt.Sprintf("科员%03d", i), DepartmentID: f.depts["公安分局"].ID, Role: org.Reviewer, Password: password},
					f.clock.Now()); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		c := f.loggedIn(t, "police.admin")

		q := url.QueryEscape("科员")
		r := c.get("/org/users?user_q=" + q)
		wantStatus(t, "user_q=科员", r, http.StatusOK)
		wantBody(t, "user_q=科员", r, "共 55 个，用户名或姓名含“科员”", `name="user_q" value="科员"`, `id="user-next-page"`)
		next := link(r, "user-next-page")
		if u, _ := url.Parse(next); u == nil || u.Path != "/org/users" || u.Query().Get("user_q") != "科员" || u.Query().Get("user_cursor") == "" {
			t.Fatalf("user_q=科员: next link %q, want one with user_q and user_cursor", next)
		}
		cursor, _ := url.Parse(next)

		// Old links: q and cursor are sent to user_q and user_cursor.
		for _, b := range []struct{ from, to string }{
			{"/org/users?q=" + q, "/org/users?user_q=" + q},
			{"/org/users?cursor=" + cursor.Query().Get("user_cursor") + "&q=" + q,
				"/org/users?user_cursor=" + cursor.Query().Get("user_cursor") + "&user_q=" + q},
			{"/org/users?q=" + q + "&foo=1", "/org/users?foo=1&user_q=" + q},
		} {
			r := c.get(b.from)
			if r.Status != http.StatusSeeOther || r.Location != b.to {
				t.Errorf("GET %s: %d to %q, want 303 to %q", b.from, r.Status, r.Location, b.to)
			}
		}
		r = c.get("/org/users?q=" + q)
		if r = c.get(r.Location); r.Status != http.StatusOK || !strings.Contains(r.Body, "共 55 个") {
			t.Errorf("the redirect of q=科员: %d, want 200 with 共 55 个\n%s", r.Status, r.Body)
		}

		for _, b := range []struct{ url, param string }{
			{"/org/users?foo=1", "foo"},
			{"/org/users?user_q=" + q + "&foo=1", "foo"},
			{"/org/users?q=a&user_q=b", "q"},
			{"/org/users?dept_q=" + q, "dept_q"},
		} {
			r := c.get(b.url)
			wantStatus(t, b.url, r, http.StatusBadRequest)
			wantBody(t, b.url, r, "本页不支持查询参数“"+b.param+"”", "unknown_parameter", "user_q、user_cursor")
			wantNoBody(t, b.url, r, "clerk0")
		}

		// Every link of the page, and of the pages it leads to, answers.
		seen := crawl(t, c, usersHrefRE, 200, []string{"/org/users", "/org/users?user_q=" + q, "/org/users?user_q=clerk05"},
			func(_, l string) bool { return strings.HasPrefix(l, "/org/users") }, nil)
		for _, want := range []string{"/org/users/new", "/org/users?user_cursor=" + url.QueryEscape(cursor.Query().Get("user_cursor")) + "&user_q=" + q} {
			if !seen[want] {
				t.Errorf("no link to %s followed: %v", want, seen)
			}
		}
		if len(seen) < 60 {
			t.Errorf("followed %d links, want at least 60", len(seen))
		}

		// The operator's list is /org's, which the search goes on to.
		op := f.loggedIn(t, "operator")
		r = op.get("/org/users?user_q=" + q)
		if r.Status != http.StatusSeeOther || r.Location != "/org?user_q="+q+"#users" {
			t.Errorf("operator, user_q=科员: %d to %q, want 303 to /org?user_q=…#users", r.Status, r.Location)
		}
		r = op.get(r.Location)
		wantStatus(t, "operator, /org?user_q=科员", r, http.StatusOK)
		wantBody(t, "operator, /org?user_q=科员", r, `name="user_q" value="科员"`)
		r = op.get("/org/users?foo=1")
		wantStatus(t, "operator, foo=1", r, http.StatusBadRequest)
		wantBody(t, "operator, foo=1", r, "本页不支持查询参数“foo”")
	})
}
