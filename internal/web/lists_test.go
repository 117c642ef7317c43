package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/org/orgtest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

var (
	usccCellRE = regexp.MustCompile(`<td class="mono">([0-9A-Z]{18})</td>`)
	userCellRE = regexp.MustCompile(`<td class="mono">(clerk\d+|[a-z]+(?:\.admin)?)</td>`)
	appIDRE    = regexp.MustCompile(`id="app-(\d+)"`)
	keyIDRE    = regexp.MustCompile(`htk_([0-9a-z]+)_…`)
)

// link returns the href of the link with id in r's body, "" when there is none.
func link(r response, id string) string {
	m := regexp.MustCompile(`<a href="([^"]*)"[^>]* id="` + id + `"`).FindStringSubmatch(r.Body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

func matches(re *regexp.Regexp, body string) []string {
	var out []string
	for _, m := range re.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

// TestOrgPageLists: at province scale the organisation page shows a page
// of 50 departments and one of 50 accounts, each with 下一页 and 第一页
// links by keyset cursor (following one list's keeps the other's page and
// search), a name search per list and the number of matches; a cursor no
// page gave is a 400 page.
func TestOrgPageLists(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		by := audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"}
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			for i := range 120 {
				d := org.Department{Name: fmt.Sprintf("测试部门%03d", i), USCC: demo.USCC("440605", i+1), RegionCode: "440605",
					ParentID: f.depts["公安分局"].ID}
				if i == 77 {
					d.Name, d.ShortName = "佛山市南海区档案馆", "档案馆"
				}
				if err := org.CreateDepartment(ctx, tx, by, &d, f.clock.Now()); err != nil {
					return err
				}
				if i < 60 {
					if _, err := orgtest.CreateUser(ctx, tx, by, org.NewUser{Username: fmt.Sprintf("clerk%03d", i),
						DisplayName: fmt.Sprintf("科员%03d", i), DepartmentID: d.ID, Role: org.Reviewer, Password: password},
						f.clock.Now()); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		c := f.loggedIn(t, "operator")

		// Departments: 123 in pages of 50, 50, 23, each once.
		r := c.get("/org")
		wantStatus(t, "GET /org", r, http.StatusOK)
		wantBody(t, "GET /org", r, "共 123 个", "共 66 个", `id="dept-next-page"`, `id="user-next-page"`, "搜索部门", "搜索账号",
			"南海区（县区级）", "佛山市公安局南海分局")
		wantNoBody(t, "GET /org", r, `id="dept-first-page"`, `id="user-first-page"`)
		var seen []string
		usersFirst := matches(userCellRE, r.Body)
		for i, want := range []int{50, 50, 23} {
			page := matches(usccCellRE, r.Body)
			if len(page) != want {
				t.Fatalf("departments page %d: got %d rows, want %d", i+1, len(page), want)
			}
			for _, u := range page {
				if slices.Contains(seen, u) {
					t.Errorf("departments page %d: %s shown on an earlier page", i+1, u)
				}
			}
			seen = append(seen, page...)
			// The accounts stay on their first page.
			if got := matches(userCellRE, r.Body); !slices.Equal(got, usersFirst) || len(got) != 50 {
				t.Errorf("departments page %d: accounts %v, want the first page %v", i+1, got, usersFirst)
			}
			if i > 0 && link(r, "dept-first-page") != "/org#departments" {
				t.Errorf("departments page %d: first-page link %q, want /org#departments", i+1, link(r, "dept-first-page"))
			}
			next := link(r, "dept-next-page")
			if i == 2 {
				if next != "" {
					t.Errorf("last departments page: next link %q, want none", next)
				}
				break
			}
			if next == "" {
				t.Fatalf("departments page %d: no next link\n%s", i+1, r.Body)
			}
			r = c.get(next)
			wantStatus(t, "GET "+next, r, http.StatusOK)
		}
		if len(seen) != 123 {
			t.Errorf("departments: got %d over the pages, want 123", len(seen))
		}

		// Accounts: 66 in pages of 50 and 16; paging them keeps the
		// departments' page.
		deptPage2 := c.get(link(c.get("/org"), "dept-next-page"))
		next := link(deptPage2, "user-next-page")
		if v, _ := url.Parse(next); v == nil || v.Query().Get("dept_cursor") == "" || v.Query().Get("user_cursor") == "" {
			t.Fatalf("accounts' next link %q, want both cursors", next)
		}
		r = c.get(next)
		wantStatus(t, "GET "+next, r, http.StatusOK)
		users2 := matches(userCellRE, r.Body)
		if len(users2) != 16 || slices.ContainsFunc(users2, func(u string) bool { return slices.Contains(usersFirst, u) }) {
			t.Errorf("accounts page 2: got %v, want 16 not on page 1", users2)
		}
		if got, want := matches(usccCellRE, r.Body), matches(usccCellRE, deptPage2.Body); !slices.Equal(got, want) {
			t.Errorf("accounts page 2: departments %v, want their page 2 %v", got, want)
		}
		if link(r, "user-next-page") != "" || link(r, "user-first-page") == "" {
			t.Errorf("accounts page 2: want a first-page link and no next link\n%s", r.Body)
		}

		// Searches, by a part of the name or short name, and of the
		// username or display name.
		r = c.get("/org?dept_q=" + url.QueryEscape("档案"))
		wantStatus(t, "GET /org?dept_q=档案", r, http.StatusOK)
		if got := matches(usccCellRE, r.Body); !slices.Equal(got, []string{demo.USCC("440605", 78)}) {
			t.Errorf("search 档案: got %v, want the archive's code", got)
		}
		wantBody(t, "search 档案", r, "佛山市南海区档案馆", "共 1 个，名称含“档案”", `value="档案"`, "清除搜索")
		wantNoBody(t, "search 档案", r, `id="dept-next-page"`)
		r = c.get("/org?dept_q=" + url.QueryEscape("测试部门1") + "&user_q=" + url.QueryEscape("科员05"))
		wantStatus(t, "GET two searches", r, http.StatusOK)
		wantBody(t, "two searches", r, "共 20 个，名称含“测试部门1”", "共 10 个，用户名或姓名含“科员05”",
			`name="user_q" value="科员05"`, `name="dept_q" value="测试部门1"`)
		if got := matches(userCellRE, r.Body); len(got) != 10 {
			t.Errorf("accounts named 科员05: got %v, want 10", got)
		}
		// 清除搜索 drops its list's search and keeps the other's.
		if got, want := link(r, "dept-clear"), "/org?user_q="+url.QueryEscape("科员05")+"#departments"; got != want {
			t.Errorf("two searches: departments' 清除搜索 %q, want %q", got, want)
		}
		if got, want := link(r, "user-clear"), "/org?dept_q="+url.QueryEscape("测试部门1")+"#users"; got != want {
			t.Errorf("two searches: accounts' 清除搜索 %q, want %q", got, want)
		}
		r = c.get("/org?user_q=CLERK011")
		if got := matches(userCellRE, r.Body); !slices.Equal(got, []string{"clerk011"}) {
			t.Errorf("accounts named CLERK011: got %v, want [clerk011]", got)
		}
		r = c.get("/org?dept_q=" + url.QueryEscape("无此部门"))
		wantBody(t, "search with no match", r, "没有名称含“无此部门”的部门。", "共 0 个")

		// Bad parameters are 400 pages that say what is wrong.
		usersCursor := url.Values{}
		if u, _ := url.Parse(next); u != nil {
			usersCursor = u.Query()
		}
		for _, q := range []string{"dept_cursor=xyz", "user_cursor=MTIz", "dept_cursor=" + usersCursor.Get("user_cursor"),
			"dept_q=%00", "user_q=%E6%B5"} {
			r := c.get("/org?" + q)
			wantStatus(t, "GET /org?"+q, r, http.StatusBadRequest)
			if slices.Contains([]string{"dept_q=%00", "user_q=%E6%B5"}, q) {
				wantBody(t, "GET /org?"+q, r, "搜索词含有控制字符或无效的字符编码")
			} else {
				wantBody(t, "GET /org?"+q, r, "分页游标无效，请从第一页重新查询", "invalid_cursor")
			}
		}
	})
}

// TestDepartmentUsersSearch: a department administrator's list of its
// accounts (/org/users) is searched by a part of the username or display
// name (user_q), as the operator's on /org is, with the number of matches;
// 下一页 and 第一页 keep the search and 清除搜索 drops it; another
// department's accounts are never listed. On both engines.
func TestDepartmentUsersSearch(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		by := audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"}
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			for i := range 61 {
				dept := f.depts["公安分局"].ID
				if i == 60 {
					dept = f.depts["市场监管局"].ID
				}
				if _, err := orgtest.CreateUser(ctx, tx, by, org.NewUser{Username: fmt.Sprintf("clerk%03d", i),
					DisplayName: fmt.Sprintf("科员%03d", i), DepartmentID: dept, Role: org.Reviewer, Password: password},
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
		cellRE := regexp.MustCompile(`<td class="mono"><a href="/org/users/\d+">([^<]+)</a></td>`)

		r := c.get("/org/users")
		wantStatus(t, "GET /org/users", r, http.StatusOK)
		wantBody(t, "GET /org/users", r, "共 63 个", `id="user-q"`, "搜索账号", `id="user-next-page"`)
		wantNoBody(t, "GET /org/users", r, "清除搜索")

		// 60 of 61 named 科员: the market's is not the administrator's.
		r = c.get("/org/users?user_q=" + url.QueryEscape("科员"))
		wantStatus(t, "search 科员", r, http.StatusOK)
		wantBody(t, "search 科员", r, "共 60 个，用户名或姓名含“科员”", `name="user_q" value="科员"`)
		first := matches(cellRE, r.Body)
		next := link(r, "user-next-page")
		if u, _ := url.Parse(next); len(first) != 50 || u == nil || u.Path != "/org/users" || u.Query().Get("user_q") != "科员" || u.Query().Get("user_cursor") == "" {
			t.Fatalf("search 科员: %d rows, next link %q; want 50 and one keeping the search", len(first), next)
		}
		r = c.get(next)
		wantStatus(t, "search 科员, page 2", r, http.StatusOK)
		second := matches(cellRE, r.Body)
		if len(second) != 10 || slices.ContainsFunc(second, func(u string) bool { return slices.Contains(first, u) || u == "clerk060" }) {
			t.Errorf("search 科员, page 2: %v, want the 10 not on page 1", second)
		}
		if got, want := link(r, "user-first-page"), "/org/users?user_q="+url.QueryEscape("科员")+"#users"; got != want {
			t.Errorf("search 科员, page 2: first-page link %q, want %q", got, want)
		}
		if link(r, "user-next-page") != "" {
			t.Errorf("search 科员, page 2: a next link on the last page")
		}

		r = c.get("/org/users?user_q=" + url.QueryEscape("科员05"))
		if got := matches(cellRE, r.Body); len(got) != 10 || link(r, "user-next-page") != "" {
			t.Errorf("search 科员05: %v, want 10 on one page", got)
		}
		if got := link(r, "user-clear"); got != "/org/users#users" {
			t.Errorf("search 科员05: 清除搜索 %q, want /org/users#users", got)
		}
		r = c.get("/org/users?user_q=CLERK011")
		if got := matches(cellRE, r.Body); !slices.Equal(got, []string{"clerk011"}) {
			t.Errorf("search CLERK011: %v, want [clerk011]", got)
		}
		r = c.get("/org/users?user_q=clerk060")
		wantBody(t, "search another department's account", r, "共 0 个", "没有用户名或姓名含“clerk060”的账号。")
		r = c.get("/org/users?user_q=%00")
		wantStatus(t, "search with a control character", r, http.StatusBadRequest)
		wantBody(t, "search with a control character", r, "搜索词含有控制字符或无效的字符编码")
	})
}

// TestAppsPageLists: the apps page shows 50 apps at a time with their
// keys, the operator's of every department and an administrator's of
// theirs only, with 下一页 and 第一页 by keyset cursor; the keys of a page
// are read in one query (org.FindAppListings), not one per app. The list
// is searched by a part of the app's name (q), kept by 下一页 and 第一页.
func TestAppsPageLists(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		by := audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"}
		keysOf := map[string][]string{} // app id → key ids
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			for i := range 65 {
				dept := f.depts["公安分局"].ID
				if i%13 == 0 {
					dept = f.depts["市场监管局"].ID
				}
				a, _, err := org.CreateApp(ctx, tx, by, org.NewApp{Name: fmt.Sprintf("测试应用%02d", i), DepartmentID: dept,
					Scopes: []string{"data.read"}}, f.clock.Now())
				if err != nil {
					return err
				}
				id := fmt.Sprint(a.ID)
				keysOf[id] = append(keysOf[id], a.Keys[0].ID)
				if i%3 == 0 {
					k, _, err := org.RotateKey(ctx, tx, by, a.ID, time.Hour, f.clock.Now())
					if err != nil {
						return err
					}
					keysOf[id] = append(keysOf[id], k.ID)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		market := map[string]bool{}
		for id := range keysOf {
			a, err := org.AppByID(ctx, db.Read(), ints(t, []string{id})[0])
			if err != nil {
				t.Fatal(err)
			}
			market[id] = a.DepartmentID == f.depts["市场监管局"].ID
		}

		for _, tt := range []struct {
			user  string
			total int
			pages []int
			mine  func(id string) bool
		}{
			{"operator", 65, []int{50, 15}, func(string) bool { return true }},
			{"police.admin", 60, []int{50, 10}, func(id string) bool { return !market[id] }},
			{"market.admin", 5, []int{5}, func(id string) bool { return market[id] }},
		} {
			c := f.client(t)
			c.login(tt.user)
			r := c.get("/apps")
			wantStatus(t, tt.user+": GET /apps", r, http.StatusOK)
			wantBody(t, tt.user+": GET /apps", r, fmt.Sprintf("共 %d 个", tt.total), `id="create-app"`)
			var seen []string
			for i, want := range tt.pages {
				ids := matches(appIDRE, r.Body)
				if len(ids) != want {
					t.Fatalf("%s: page %d: got %d apps, want %d", tt.user, i+1, len(ids), want)
				}
				if nums := ints(t, ids); !slices.IsSorted(nums) {
					t.Errorf("%s: page %d: apps %v, want them in id order", tt.user, i+1, ids)
				}
				for _, id := range ids {
					if !tt.mine(id) || slices.Contains(seen, id) {
						t.Errorf("%s: page %d: app %s shown (another department's, or twice)", tt.user, i+1, id)
					}
					// Every key of the app is on its page.
					for _, k := range keysOf[id] {
						wantBody(t, fmt.Sprintf("%s: page %d, app %s", tt.user, i+1, id), r, "htk_"+k+"_…")
					}
				}
				if got, want := len(matches(keyIDRE, r.Body)), countKeys(keysOf, ids); got != want {
					t.Errorf("%s: page %d: %d keys shown, want %d", tt.user, i+1, got, want)
				}
				seen = append(seen, ids...)
				if first := strings.Contains(r.Body, `<a href="/apps" class="btn btn-light">第一页</a>`); first != (i > 0) {
					t.Errorf("%s: page %d: link to the first page %v, want %v", tt.user, i+1, first, i > 0)
				}
				next := link(r, "next-page")
				if i == len(tt.pages)-1 {
					if next != "" {
						t.Errorf("%s: last page: next link %q, want none", tt.user, next)
					}
					break
				}
				r = c.get(next)
				wantStatus(t, tt.user+": GET "+next, r, http.StatusOK)
				wantBody(t, tt.user+": GET "+next, r, fmt.Sprintf("共 %d 个", tt.total), `id="create-app"`)
			}
			if len(seen) != tt.total {
				t.Errorf("%s: %d apps over the pages, want %d", tt.user, len(seen), tt.total)
			}
			r = c.get("/apps?cursor=YXBwczow")
			wantStatus(t, tt.user+": bad cursor", r, http.StatusBadRequest)
			wantBody(t, tt.user+": bad cursor", r, "分页游标无效，请从第一页重新查询")
		}

		// The name search, within the apps the caller may manage: %, _
		// and \ are taken as text, ASCII letters in any case.
		err = db.Tx(ctx, func(tx *sqldb.Tx) error {
			for _, n := range []string{`测试应用%_\A`, "Hutong网关"} {
				if _, _, err := org.CreateApp(ctx, tx, by, org.NewApp{Name: n, DepartmentID: f.depts["公安分局"].ID,
					Scopes: []string{"data.read"}}, f.clock.Now()); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			user, q string
			total   int
		}{
			{"operator", "应用0", 10}, {"police.admin", "应用0", 9}, {"market.admin", "应用0", 1},
			{"operator", "%", 1}, {"operator", "_", 1}, {"operator", `\`, 1}, {"operator", "hUTONG", 1},
			{"police.admin", "无此应用", 0},
		} {
			c := f.client(t)
			c.login(tt.user)
			what := tt.user + ": search " + tt.q
			r := c.get("/apps?q=" + url.QueryEscape(tt.q))
			wantStatus(t, what, r, http.StatusOK)
			wantBody(t, what, r, fmt.Sprintf("共 %d 个，名称含“%s”", tt.total, html.EscapeString(tt.q)),
				`name="q" value="`+html.EscapeString(tt.q)+`"`, `<a href="/apps" class="btn btn-light" id="app-clear">清除搜索</a>`)
			if got := len(matches(appIDRE, r.Body)); got != tt.total {
				t.Errorf("%s: %d apps shown, want %d", what, got, tt.total)
			}
			if tt.total == 0 {
				wantBody(t, what, r, "没有名称含“"+tt.q+"”的应用。")
			}
		}

		// 66 apps named 测试应用…: the search stays on 下一页 and 第一页.
		c := f.loggedIn(t, "operator")
		r := c.get("/apps?q=" + url.QueryEscape("测试应用"))
		wantBody(t, "search 测试应用", r, "共 66 个，名称含“测试应用”")
		page1 := matches(appIDRE, r.Body)
		next := link(r, "next-page")
		if u, err := url.Parse(next); err != nil || u.Query().Get("q") != "测试应用" || u.Query().Get("cursor") == "" {
			t.Fatalf("search 测试应用: next link %q, want the search and a cursor", next)
		}
		r = c.get(next)
		wantStatus(t, "GET "+next, r, http.StatusOK)
		page2 := matches(appIDRE, r.Body)
		if len(page1) != 50 || len(page2) != 16 || slices.ContainsFunc(page2, func(id string) bool { return slices.Contains(page1, id) }) {
			t.Errorf("search 测试应用: pages of %d and %d apps, want 50 and 16 apart", len(page1), len(page2))
		}
		wantBody(t, "search 测试应用, page 2", r, "共 66 个，名称含“测试应用”", `name="q" value="测试应用"`)
		first := firstPageRE.FindStringSubmatch(r.Body)
		if first == nil || html.UnescapeString(first[1]) != "/apps?q="+url.QueryEscape("测试应用") {
			t.Errorf("search 测试应用, page 2: first-page link %v, want /apps?q=测试应用", first)
		}
		for _, q := range []string{"q=%00", "q=%E6%B5", "q=" + strings.Repeat("a", 101)} {
			r := c.get("/apps?" + q)
			wantStatus(t, "GET /apps?"+q, r, http.StatusBadRequest)
		}
	})
}

var firstPageRE = regexp.MustCompile(`<a href="([^"]*)" class="btn btn-light">第一页</a>`)

func ints(t *testing.T, ss []string) []int64 {
	t.Helper()
	var out []int64
	for _, s := range ss {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	return out
}

func countKeys(keysOf map[string][]string, ids []string) int {
	n := 0
	for _, id := range ids {
		n += len(keysOf[id])
	}
	return n
}

var backRE = regexp.MustCompile(`<input type="hidden" name="back" value="([^"]*)">`)

// TestAppsReturnToPage: the apps page's forms carry the page they are on
// (back: its search and cursor), and revoking a key or an app redirects
// there, rotating a key or creating an app links back to it, and a failed
// creation shows it again. A back that is not a page of the list is
// refused before anything changes: no redirect leads off the list.
func TestAppsReturnToPage(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		by := audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"}
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			for i := range 55 {
				if _, _, err := org.CreateApp(ctx, tx, by, org.NewApp{Name: fmt.Sprintf("接口%02d", i), DepartmentID: f.depts["公安分局"].ID,
					Scopes: []string{"data.read"}}, f.clock.Now()); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		c := f.client(t)
		token := c.login("operator")
		page2 := link(c.get("/apps?q="+url.QueryEscape("接口")), "next-page")
		r := c.get(page2)
		wantStatus(t, "GET "+page2, r, http.StatusOK)
		ids := matches(appIDRE, r.Body)
		backs := matches(backRE, r.Body)
		if len(ids) != 5 || len(backs) == 0 {
			t.Fatalf("search page 2: %d apps and %d back fields, want 5 and some", len(ids), len(backs))
		}
		for _, b := range backs {
			if html.UnescapeString(b) != page2 {
				t.Fatalf("back field %q, want the page's address %q", html.UnescapeString(b), page2)
			}
		}
		apps := make([]org.App, len(ids))
		for i, id := range ints(t, ids) {
			if apps[i], err = org.AppByID(ctx, db.Read(), id); err != nil {
				t.Fatal(err)
			}
		}
		// wantPage2 checks that target is search page 2 with notice msg.
		wantPage2 := func(what, target, msg string) {
			t.Helper()
			u, err := url.Parse(target)
			want, _ := url.Parse(page2)
			if err != nil || u.Path != "/apps" || u.Query().Get("q") != "接口" || u.Query().Get("cursor") != want.Query().Get("cursor") ||
				u.Query().Get("msg") != msg {
				t.Fatalf("%s: went to %q, want %s with msg=%s", what, target, page2, msg)
			}
			r := c.get(target)
			wantStatus(t, what+": GET "+target, r, http.StatusOK)
			if got := matches(appIDRE, r.Body); !slices.Equal(got, ids) {
				t.Errorf("%s: page shows apps %v, want %v", what, got, ids)
			}
		}

		// Bad ways back, each refused with nothing revoked.
		for _, back := range []string{"https://evil.example/apps", "//evil.example/apps", `/\evil.example/apps`,
			"javascript:alert(1)", "/login", "/apps/../login", "/apps/", "/apps#app-1", "/apps?next=%2Flogin",
			"/apps?msg=revoked", "/apps?q=a&q=b", "/apps?cursor=xyz", "/apps?cursor=ZGVwYXJ0bWVudHM6NQ",
			"/apps?q=%00", "/apps?q=%zz", "/%61pps", "http:///apps"} {
			r := c.post(fmt.Sprintf("/apps/%d/keys/%s/revoke", apps[0].ID, apps[0].Keys[0].ID),
				url.Values{"csrf_token": {token}, "confirm": {"yes"}, "back": {back}})
			wantStatus(t, "back "+back, r, http.StatusBadRequest)
			wantBody(t, "back "+back, r, "返回地址无效")
			r = c.post(fmt.Sprintf("/apps/%d/revoke", apps[0].ID), url.Values{"csrf_token": {token}, "confirm": {"yes"}, "back": {back}})
			wantStatus(t, "revoke app, back "+back, r, http.StatusBadRequest)
		}
		if a, err := org.AppByID(ctx, db.Read(), apps[0].ID); err != nil || a.RevokedAt != nil || a.Keys[0].RevokedAt != nil {
			t.Fatalf("after refused backs: app %+v, %v; want it and its key active", a, err)
		}

		// Revoking a key, then an app: back to search page 2.
		r = c.post(fmt.Sprintf("/apps/%d/keys/%s/revoke", apps[0].ID, apps[0].Keys[0].ID),
			url.Values{"csrf_token": {token}, "confirm": {"yes"}, "back": {page2}})
		wantStatus(t, "revoke key", r, http.StatusSeeOther)
		wantPage2("revoke key", r.Location, "key_revoked")
		wantBody(t, "revoke key", c.get(r.Location), "密钥已吊销。")
		r = c.post(fmt.Sprintf("/apps/%d/revoke", apps[1].ID), url.Values{"csrf_token": {token}, "confirm": {"yes"}, "back": {page2}})
		wantStatus(t, "revoke app", r, http.StatusSeeOther)
		wantPage2("revoke app", r.Location, "revoked")
		// Rotating a key: the key page links back to search page 2.
		r = c.post(fmt.Sprintf("/apps/%d/rotate", apps[2].ID), url.Values{"csrf_token": {token}, "grace_hours": {"0"}, "confirm": {"yes"}, "back": {page2}})
		wantStatus(t, "rotate", r, http.StatusCreated)
		if got := link(r, "back-to-apps"); got != page2 {
			t.Errorf("rotate: link back %q, want %q", got, page2)
		}
		// Creating an app: a failed one shows search page 2 again with
		// the form, a created one links back to it.
		r = c.post("/apps", url.Values{"csrf_token": {token}, "name": {"接口00"}, "scopes": {"data.read"},
			"department": {"公安分局"}, "back": {page2}})
		wantStatus(t, "create a duplicate", r, http.StatusConflict)
		if got := matches(appIDRE, r.Body); !slices.Equal(got, ids) {
			t.Errorf("create a duplicate: page shows apps %v, want %v", got, ids)
		}
		wantBody(t, "create a duplicate", r, "本部门已有同名应用", `value="接口00"`)
		r = c.post("/apps", url.Values{"csrf_token": {token}, "name": {"接口99"}, "scopes": {"data.read"}, "back": {page2}})
		wantStatus(t, "create", r, http.StatusCreated)
		if got := link(r, "back-to-apps"); got != page2 {
			t.Errorf("create: link back %q, want %q", got, page2)
		}

		// A department's administrator on the first page goes back to it.
		police := f.client(t)
		policeToken := police.login("police.admin")
		r = police.get("/apps")
		if got := matches(backRE, r.Body); len(got) == 0 || got[0] != "/apps" {
			t.Errorf("first page: back fields %v, want /apps", got)
		}
		r = police.post(fmt.Sprintf("/apps/%d/keys/%s/revoke", apps[3].ID, apps[3].Keys[0].ID),
			url.Values{"csrf_token": {policeToken}, "confirm": {"yes"}, "back": {"/apps"}})
		if r.Status != http.StatusSeeOther || r.Location != "/apps?msg=key_revoked" {
			t.Errorf("revoke key from the first page: got %d to %q, want 303 to /apps?msg=key_revoked", r.Status, r.Location)
		}
	})
}

// TestListCountsAgree: the organisation and apps pages read a page and
// the number of matches beside it in one snapshot. While another
// connection renames a department, an account and an app in and out of a
// search, over and over, each count is the number of rows the page shows.
func TestListCountsAgree(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		by := audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"}
		var dept, user, app int64
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			d := org.Department{Name: "快照甲局", USCC: demo.USCC("440605", 1), RegionCode: "440605"}
			if err := org.CreateDepartment(ctx, tx, by, &d, f.clock.Now()); err != nil {
				return err
			}
			u, err := orgtest.CreateUser(ctx, tx, by, org.NewUser{Username: "snapshot", DisplayName: "快照甲",
				DepartmentID: d.ID, Role: org.Reviewer, Password: password}, f.clock.Now())
			if err != nil {
				return err
			}
			a, _, err := org.CreateApp(ctx, tx, by, org.NewApp{Name: "快照甲", DepartmentID: d.ID,
				Scopes: []string{"data.read"}}, f.clock.Now())
			dept, user, app = d.ID, u.ID, a.ID
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		toggles := []struct {
			query string
			id    int64
		}{
			// A department's name key goes with its name, as a rename
			// through org keeps it: the search looks in both.
			{`UPDATE departments SET name = CASE WHEN name = '快照甲局' THEN '快照乙局' ELSE '快照甲局' END,
				name_key = CASE WHEN name = '快照甲局' THEN '快照乙局' ELSE '快照甲局' END WHERE id = $1`, dept},
			{`UPDATE users SET display_name = CASE WHEN display_name = '快照甲' THEN '快照乙' ELSE '快照甲' END WHERE id = $1`, user},
			{`UPDATE apps SET name = CASE WHEN name = '快照甲' THEN '快照乙' ELSE '快照甲' END WHERE id = $1`, app},
		}
		stop := make(chan struct{})
		done := make(chan error, 1)
		go func() {
			for {
				select {
				case <-stop:
					done <- nil
					return
				default:
				}
				for _, tg := range toggles {
					if _, err := db.Write().ExecContext(ctx, tg.query, tg.id); err != nil {
						done <- err
						return
					}
				}
			}
		}()

		c := f.loggedIn(t, "operator")
		countRE := regexp.MustCompile(`id="(dept|user|app)-count">共 (\d+) 个`)
		// seen[list][n]: a page of list showed n matches, 0 or 1; both
		// are seen when the renames went on while the pages were read.
		seen := map[string]map[int]bool{"dept": {}, "user": {}, "app": {}}
		check := func(path string) {
			r := c.get(path)
			wantStatus(t, "GET "+path, r, http.StatusOK)
			rows := map[string]int{"dept": len(matches(usccCellRE, r.Body)),
				"user": strings.Count(r.Body, `<td class="mono">snapshot</td>`), "app": len(matches(appIDRE, r.Body))}
			for _, m := range countRE.FindAllStringSubmatch(r.Body, -1) {
				n, _ := strconv.Atoi(m[2])
				if n != rows[m[1]] {
					t.Errorf("GET %s: %s count %d, but %d rows shown", path, m[1], n, rows[m[1]])
				}
				seen[m[1]][n] = true
			}
		}
		// At least 100 rounds, and on until every list showed both
		// states (at most 2,000): a slow machine reads fewer pages while
		// the renames go on, not fewer states.
		bothSeen := func() bool {
			for _, ns := range seen {
				if !ns[0] || !ns[1] {
					return false
				}
			}
			return true
		}
		for i := 0; i < 2000 && (i < 100 || !bothSeen()) && !t.Failed(); i++ {
			check("/org?dept_q=" + url.QueryEscape("快照甲") + "&user_q=" + url.QueryEscape("快照甲"))
			check("/apps?q=" + url.QueryEscape("快照甲"))
		}
		close(stop)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		for list, ns := range seen {
			if !t.Failed() && (!ns[0] || !ns[1]) {
				t.Errorf("%s: counts seen %v, want both 0 and 1 while the renames went on", list, ns)
			}
		}
	})
}
