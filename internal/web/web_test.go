package web_test

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/ident"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/org/orgtest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/testclock"
	"github.com/hutong-gov/hutong/internal/web"
)

func TestMain(m *testing.M) { os.Exit(sqldbtest.Main(m)) }

const password = "Hutong-Test-2026"

// testNow is the tests' clock: 2026-10-01 10:00 in Beijing, a day of the
// National Day holiday (2026-10-01..07; 2026-10-10 is an adjusted working day).
var testNow = time.Date(2026, 10, 1, 10, 0, 0, 0, calendar.Location())

// uscc builds a valid unified social credit code of a government body
// (category 11) registered in Nanhai district (440605) from an 8-character
// organisation code body.
func uscc(t testing.TB, body string) string {
	t.Helper()
	code, err := ident.MakeUSCC("11440605", body)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// fixture is a console over a seeded database: an operator department and
// two ordinary departments, and one account per role.
type fixture struct {
	db    *sqldb.DB
	srv   *httptest.Server
	h     http.Handler              // what srv serves
	depts map[string]org.Department // by short name
	users map[string]org.User       // by username
	clock *testclock.Clock
}

func seed(t testing.TB, db *sqldb.DB, now time.Time) (map[string]org.Department, map[string]org.User) {
	t.Helper()
	ctx := context.Background()
	by := audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"}
	depts := map[string]org.Department{}
	users := map[string]org.User{}
	err := db.Tx(ctx, func(tx *sqldb.Tx) error {
		for _, r := range []org.Region{
			{Code: "440000", Name: "广东省", Level: org.Province},
			{Code: "440600", Name: "佛山市", Level: org.City, ParentCode: "440000"},
			{Code: "440605", Name: "南海区", Level: org.District, ParentCode: "440600"},
		} {
			if err := org.CreateRegion(ctx, tx, by, &r, now); err != nil {
				return err
			}
		}
		for _, d := range []org.Department{
			{Name: "佛山市南海区政务服务数据管理局", ShortName: "数管局", USCC: uscc(t, "MB2C1234"), RegionCode: "440605", IsOperator: true},
			{Name: "佛山市公安局南海分局", ShortName: "公安分局", USCC: uscc(t, "00734567"), RegionCode: "440605"},
			{Name: "佛山市南海区市场监督管理局", ShortName: "市场监管局", USCC: uscc(t, "MB2D7777"), RegionCode: "440605"},
		} {
			if err := org.CreateDepartment(ctx, tx, by, &d, now); err != nil {
				return err
			}
			depts[d.ShortName] = d
		}
		for _, nu := range []org.NewUser{
			{Username: "operator", DisplayName: "王主管", DepartmentID: depts["数管局"].ID, Role: org.Operator},
			{Username: "police.admin", DisplayName: "李管理", DepartmentID: depts["公安分局"].ID, Role: org.DeptAdmin},
			{Username: "market.admin", DisplayName: "陈管理", DepartmentID: depts["市场监管局"].ID, Role: org.DeptAdmin},
			{Username: "reviewer", DisplayName: "赵审核", DepartmentID: depts["公安分局"].ID, Role: org.Reviewer},
			{Username: "auditor", DisplayName: "孙审计", DepartmentID: depts["数管局"].ID, Role: org.Auditor},
			{Username: "locked", DisplayName: "周锁定", DepartmentID: depts["公安分局"].ID, Role: org.Reviewer},
		} {
			nu.Password = password
			u, err := orgtest.CreateUser(ctx, tx, by, nu, now)
			if err != nil {
				return err
			}
			users[u.Username] = u
		}
		return nil
	})
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	return depts, users
}

// newFixture serves the console the way internal/server does: behind the
// authentication middleware and cross-origin protection. cal, if given,
// is the console's calendar (calendar.Default otherwise).
func newFixture(t testing.TB, db *sqldb.DB, cal ...*calendar.Calendar) *fixture {
	t.Helper()
	f := &fixture{db: db, clock: testclock.New(testNow)}
	f.depts, f.users = seed(t, db, f.clock.Now())
	authn := &auth.Authenticator{DB: db, Log: testLogger(t), Now: f.clock.Now}
	cfg := web.Config{DB: db, Log: testLogger(t), Now: f.clock.Now, Auth: authn}
	if len(cal) > 0 {
		cfg.Calendar = cal[0]
	}
	w, err := web.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	w.Register(mux)
	fail := func(rw http.ResponseWriter, r *http.Request, err error) {
		http.Error(rw, err.Error(), http.StatusUnauthorized)
	}
	h := authn.Middleware(fail)(mux)
	f.h = http.NewCrossOriginProtection().Handler(h)
	f.srv = httptest.NewServer(f.h)
	t.Cleanup(f.srv.Close)
	return f
}

// client is a browser: it keeps cookies and does not follow redirects, so
// that tests see them.
type client struct {
	t    testing.TB
	f    *fixture
	http *http.Client
}

func (f *fixture) client(t testing.TB) *client {
	return &client{t: t, f: f, http: &http.Client{Jar: &jar{}, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// jar keeps the cookies of the one test server. Unlike net/http/cookiejar
// it judges expiry by nothing but MaxAge < 0, because the server's clock is
// the fixed testNow, not the wall clock.
type jar struct {
	mu      sync.Mutex
	cookies map[string]*http.Cookie
}

func (j *jar) SetCookies(_ *url.URL, cs []*http.Cookie) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.cookies == nil {
		j.cookies = map[string]*http.Cookie{}
	}
	for _, c := range cs {
		if c.MaxAge < 0 {
			delete(j.cookies, c.Name)
		} else {
			j.cookies[c.Name] = c
		}
	}
}

func (j *jar) Cookies(*url.URL) []*http.Cookie {
	j.mu.Lock()
	defer j.mu.Unlock()
	var out []*http.Cookie
	for _, c := range j.cookies {
		out = append(out, &http.Cookie{Name: c.Name, Value: c.Value})
	}
	return out
}

type response struct {
	Status   int
	Location string
	Header   http.Header
	Body     string
}

func (c *client) do(req *http.Request) response {
	c.t.Helper()
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return response{Status: resp.StatusCode, Location: resp.Header.Get("Location"), Header: resp.Header, Body: string(b)}
}

func (c *client) get(path string, header ...string) response {
	c.t.Helper()
	req, err := http.NewRequest("GET", c.f.srv.URL+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return c.do(req)
}

func (c *client) post(path string, form url.Values) response {
	c.t.Helper()
	req, err := http.NewRequest("POST", c.f.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// login logs in as username and returns the session's CSRF token.
func (c *client) login(username string) string {
	c.t.Helper()
	r := c.post("/login", url.Values{"username": {username}, "password": {password}})
	if r.Status != http.StatusSeeOther || r.Location != "/" {
		c.t.Fatalf("login %s: got %d to %q, want 303 to /\n%s", username, r.Status, r.Location, r.Body)
	}
	return c.csrf()
}

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// csrf reads the CSRF token from the home page.
func (c *client) csrf() string {
	c.t.Helper()
	r := c.get("/")
	m := csrfRE.FindStringSubmatch(r.Body)
	if m == nil {
		c.t.Fatalf("no CSRF token on the home page (status %d)", r.Status)
	}
	return m[1]
}

func wantStatus(t *testing.T, what string, r response, want int) {
	t.Helper()
	if r.Status != want {
		t.Fatalf("%s: got status %d, want %d\n%s", what, r.Status, want, r.Body)
	}
}

func wantBody(t *testing.T, what string, r response, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(r.Body, s) {
			t.Errorf("%s: body lacks %q\n%s", what, s, r.Body)
		}
	}
}

func wantNoBody(t *testing.T, what string, r response, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if strings.Contains(r.Body, s) {
			t.Errorf("%s: body contains %q", what, s)
		}
	}
}

func TestLoggedOutRedirects(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		for _, tt := range []struct{ path, want string }{
			{"/", "/login?next=%2F"},
			{"/apps", "/login?next=%2Fapps"},
			{"/audit?action=auth.&outcome=denied", "/login?next=%2Faudit%3Faction%3Dauth.%26outcome%3Ddenied"},
			{"/calendar", "/login?next=%2Fcalendar"},
		} {
			r := c.get(tt.path)
			if r.Status != http.StatusSeeOther || r.Location != tt.want {
				t.Errorf("GET %s: got %d to %q, want 303 to %q", tt.path, r.Status, r.Location, tt.want)
			}
		}
		// A POST without a session also goes to the login page, back
		// to its form's page (its own path, a page too) once logged in,
		// the login page told that the form was lost (ended=1).
		r := c.post("/apps", url.Values{"name": {"x"}})
		if r.Status != http.StatusSeeOther || r.Location != "/login?ended=1&next=%2Fapps" {
			t.Errorf("POST /apps: got %d to %q, want 303 to /login?ended=1&next=%%2Fapps", r.Status, r.Location)
		}
		// htmx requests get a redirect instruction instead.
		r = c.get("/audit/verify", "HX-Request", "true")
		if r.Status != http.StatusUnauthorized || r.Header.Get("HX-Redirect") == "" {
			t.Errorf("htmx GET /audit/verify: got %d, HX-Redirect %q; want 401 with HX-Redirect", r.Status, r.Header.Get("HX-Redirect"))
		}
		r = c.get("/login?next=%2Fapps")
		wantStatus(t, "GET /login", r, http.StatusOK)
		wantBody(t, "GET /login", r, "工作人员登录", `name="next" value="/apps"`, web.PlatformName, "锁定 15 分钟")
	})
}

func TestLogin(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.client(t)

		r := c.post("/login", url.Values{"username": {"operator"}, "password": {"wrong-password"}})
		wantStatus(t, "wrong password", r, http.StatusUnauthorized)
		wantBody(t, "wrong password", r, "用户名或密码错误", `value="operator"`)

		r = c.post("/login", url.Values{"username": {""}, "password": {""}})
		wantStatus(t, "empty form", r, http.StatusBadRequest)
		wantBody(t, "empty form", r, "请输入用户名和密码")

		r = c.post("/login", url.Values{"username": {"operator"}, "password": {password}, "next": {"/calendar?year=2025"}})
		if r.Status != http.StatusSeeOther || r.Location != "/calendar?year=2025" {
			t.Fatalf("login: got %d to %q, want 303 to /calendar?year=2025", r.Status, r.Location)
		}
		if !strings.Contains(r.Header.Get("Set-Cookie"), auth.SessionCookie+"=") {
			t.Errorf("login set no session cookie: %q", r.Header.Get("Set-Cookie"))
		}

		r = c.get("/")
		wantStatus(t, "home", r, http.StatusOK)
		wantBody(t, "home", r, "工作台", "王主管", "佛山市南海区政务服务数据管理局", "平台管理员",
			`href="/org"`, `href="/apps"`, `href="/audit"`, `href="/calendar"`, "退出登录",
			// the fixed clock: a National Day holiday, next working day 10-08
			"2026年10月1日 星期四", "休息日", "国庆节", "2026年10月8日 星期四")
		wantBody(t, "home", r, `href="/catalog"`)

		// Logged in, the login page sends to the next page.
		r = c.get("/login?next=%2Fapps")
		if r.Status != http.StatusSeeOther || r.Location != "/apps" {
			t.Errorf("GET /login logged in: got %d to %q, want 303 to /apps", r.Status, r.Location)
		}
	})
}

// TestDatabaseUnavailable: while the database cannot serve, the console
// answers 503 服务暂不可用 and says to retry, rather than 内部错误; a login
// works again when the database is back.
func TestDatabaseUnavailable(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		unblock := sqldbtest.Unavailable(t, db)
		r := f.client(t).post("/login", url.Values{"username": {"operator"}, "password": {password}})
		wantStatus(t, "login with the database down", r, http.StatusServiceUnavailable)
		wantBody(t, "login with the database down", r, "服务暂不可用", "数据库暂时无法访问，请稍后重试")
		unblock()
		f.client(t).login("operator")
	})
}

func TestLoginNextIsLocal(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		for _, next := range []string{"//evil.example/", "https://evil.example/", "/\\evil.example", "/login", "javascript:alert(1)"} {
			c := f.client(t)
			r := c.post("/login", url.Values{"username": {"reviewer"}, "password": {password}, "next": {next}})
			if r.Status != http.StatusSeeOther || r.Location != "/" {
				t.Errorf("next=%q: got %d to %q, want 303 to /", next, r.Status, r.Location)
			}
		}
	})
}

func TestLoginLocked(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		for i := range org.MaxLoginFailures {
			r := c.post("/login", url.Values{"username": {"locked"}, "password": {fmt.Sprintf("wrong-%d", i)}})
			wantStatus(t, "wrong password", r, http.StatusUnauthorized)
		}
		r := c.post("/login", url.Values{"username": {"locked"}, "password": {password}})
		wantStatus(t, "locked", r, http.StatusTooManyRequests)
		wantBody(t, "locked", r, "登录失败次数过多")
		f.clock.Add(org.LockDuration + time.Minute)
		c.login("locked")

		// A password set by an administrator ends the lock at once: the
		// user who forgot it need not wait for the lock to run out.
		c = f.client(t)
		for i := range org.MaxLoginFailures {
			c.post("/login", url.Values{"username": {"locked"}, "password": {fmt.Sprintf("wrong-%d", i)}})
		}
		r = c.post("/login", url.Values{"username": {"locked"}, "password": {password}})
		wantStatus(t, "locked again", r, http.StatusTooManyRequests)
		const reset = "Reset-Horse-2026"
		pw, err := org.HashNewPassword(context.Background(), reset)
		if err != nil {
			t.Fatal(err)
		}
		err = db.Tx(t.Context(), func(tx *sqldb.Tx) error {
			return org.SetPassword(t.Context(), tx, audit.Actor{Kind: audit.ActorSystem, ID: "test"}, f.users["locked"].ID, pw, f.clock.Now())
		})
		if err != nil {
			t.Fatal(err)
		}
		r = c.post("/login", url.Values{"username": {"locked"}, "password": {reset}})
		if r.Status != http.StatusSeeOther {
			t.Errorf("login with the password an administrator set during the lock: got %d\n%s", r.Status, r.Body)
		}
	})
}

func TestCSRF(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		token := c.login("police.admin")

		for _, path := range []string{"/logout", "/apps", "/apps/1/revoke"} {
			for _, tok := range []string{"", "forged"} {
				r := c.post(path, url.Values{"csrf_token": {tok}, "name": {"系统"}, "scopes": {"catalog.read"}, "confirm": {"yes"}})
				wantStatus(t, "POST "+path+" with token "+tok, r, http.StatusForbidden)
				wantBody(t, "POST "+path, r, "页面已过期", "错误代码 csrf_failed")
			}
		}
		wantStatus(t, "still logged in", c.get("/"), http.StatusOK)
		if as, err := org.Apps(context.Background(), db.Read(), 0); err != nil || len(as) != 0 {
			t.Fatalf("apps after refused POSTs: %v, %v; want none", as, err)
		}

		// A cross-site form post is refused before the token is even looked at.
		req, _ := http.NewRequest("POST", f.srv.URL+"/logout", strings.NewReader(url.Values{"csrf_token": {token}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		if r := c.do(req); r.Status != http.StatusForbidden {
			t.Errorf("cross-site POST /logout: got %d, want 403", r.Status)
		}

		r := c.post("/logout", url.Values{"csrf_token": {token}})
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/login") {
			t.Fatalf("logout: got %d to %q, want 303 to /login", r.Status, r.Location)
		}
		if r := c.get("/"); r.Status != http.StatusSeeOther {
			t.Errorf("after logout GET /: got %d, want 303", r.Status)
		}
		r = c.get(r.Location)
		wantBody(t, "login page after logout", r, "您已安全退出")
	})
}

func TestRoles(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		type access map[string]int
		for _, tt := range []struct {
			user   string
			access access
			nav    []string // labels in the navigation
			noNav  []string
		}{
			{"operator", access{"/": 200, "/org": 200, "/apps": 200, "/audit": 200, "/audit/verify": 200, "/calendar": 200},
				[]string{"首页", "部门与账号", "应用与密钥", "审计日志", "工作日历"}, nil},
			{"police.admin", access{"/": 200, "/org": 403, "/apps": 200, "/audit": 403, "/audit/verify": 403, "/calendar": 200},
				[]string{"首页", "应用与密钥", "工作日历"}, []string{"部门与账号", "审计日志"}},
			{"reviewer", access{"/": 200, "/org": 403, "/apps": 403, "/audit": 403, "/calendar": 200},
				[]string{"首页", "工作日历"}, []string{"部门与账号", "应用与密钥", "审计日志"}},
			{"auditor", access{"/": 200, "/org": 403, "/apps": 403, "/audit": 200, "/audit/verify": 200, "/calendar": 200},
				[]string{"首页", "审计日志", "工作日历"}, []string{"部门与账号", "应用与密钥"}},
		} {
			t.Run(tt.user, func(t *testing.T) {
				c := f.client(t)
				c.login(tt.user)
				for path, want := range tt.access {
					r := c.get(path)
					wantStatus(t, "GET "+path, r, want)
					if want == http.StatusForbidden {
						wantBody(t, "GET "+path, r, "无权访问", "无权访问此页面", f.users[tt.user].Role.Label())
					}
				}
				home := c.get("/")
				nav := home.Body[strings.Index(home.Body, `<nav class="sidenav"`):]
				nav = nav[:strings.Index(nav, "</nav>")]
				for _, l := range tt.nav {
					if !strings.Contains(nav, ">"+l+"<") {
						t.Errorf("navigation lacks %s:\n%s", l, nav)
					}
				}
				for _, l := range tt.noNav {
					if strings.Contains(nav, ">"+l+"<") {
						t.Errorf("navigation shows %s:\n%s", l, nav)
					}
				}
			})
		}
	})
}

var keyRE = regexp.MustCompile(`htk_[0-9a-f]{12}_[A-Za-z0-9_-]+`)

func TestApps(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		c := f.client(t)
		token := c.login("police.admin")

		r := c.post("/apps", url.Values{"csrf_token": {token}, "name": {"户籍核验系统"}})
		wantStatus(t, "no scopes", r, http.StatusBadRequest)
		wantBody(t, "no scopes", r, "至少需要一个权限范围", `value="户籍核验系统"`)

		r = c.post("/apps", url.Values{"csrf_token": {token}, "name": {"越权系统"}, "scopes": {"catalog.read"},
			"department": {"佛山市南海区市场监督管理局"}})
		wantStatus(t, "other department", r, http.StatusForbidden)
		// A department administrator cannot give a key powers it lacks.
		for _, scope := range []string{"admin", "audit.read"} {
			r = c.post("/apps", url.Values{"csrf_token": {token}, "name": {"越权系统"}, "scopes": {"data.read", scope}})
			wantStatus(t, "grant "+scope, r, http.StatusForbidden)
			wantBody(t, "grant "+scope, r, "不能授予本人没有的权限范围")
		}
		wantNoBody(t, "scopes offered to an administrator", c.get("/apps"), `value="admin"`, `value="audit.read"`)

		r = c.post("/apps", url.Values{"csrf_token": {token}, "name": {"户籍核验系统"}, "description": {"窗口核验户籍信息"},
			"scopes": {"data.read", "catalog.read"}})
		wantStatus(t, "create app", r, http.StatusCreated)
		wantBody(t, "create app", r, "只显示这一次", "户籍核验系统", "查询、核验共享数据", "读取数据资源目录")
		if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("key page Cache-Control = %q, want no-store", cc)
		}
		secret := keyRE.FindString(r.Body)
		if secret == "" {
			t.Fatalf("no API key on the result page:\n%s", r.Body)
		}
		app, key, _, err := new(org.KeyCache).Authenticate(ctx, db.Read(), secret, f.clock.Now())
		if err != nil || app.Name != "户籍核验系统" || app.DepartmentID != f.depts["公安分局"].ID {
			t.Fatalf("KeyCache.Authenticate(shown key) = %+v, %v; want the new app of 公安分局", app, err)
		}
		keyID := key.ID

		r = c.post("/apps", url.Values{"csrf_token": {token}, "name": {"户籍核验系统"}, "scopes": {"data.read"}})
		wantStatus(t, "duplicate name", r, http.StatusConflict)
		wantBody(t, "duplicate name", r, "本部门已有同名应用")

		// The list shows the app and its key id, never the secret again.
		r = c.get("/apps")
		wantStatus(t, "GET /apps", r, http.StatusOK)
		wantBody(t, "GET /apps", r, "户籍核验系统", "htk_"+keyID, "有效")
		wantNoBody(t, "GET /apps", r, secret, secret[len("htk_"+keyID+"_"):])

		// Another department's administrator can neither see nor touch it.
		other := f.client(t)
		otherToken := other.login("market.admin")
		wantNoBody(t, "other department's list", other.get("/apps"), "户籍核验系统")
		r = other.post(fmt.Sprintf("/apps/%d/rotate", app.ID), url.Values{"csrf_token": {otherToken}, "grace_hours": {"0"}})
		wantStatus(t, "rotate other department's app", r, http.StatusForbidden)
		r = other.post(fmt.Sprintf("/apps/%d/revoke", app.ID), url.Values{"csrf_token": {otherToken}, "confirm": {"yes"}})
		wantStatus(t, "revoke other department's app", r, http.StatusForbidden)

		// Rotation with a grace period keeps the old key valid for a while.
		r = c.post(fmt.Sprintf("/apps/%d/rotate", app.ID), url.Values{"csrf_token": {token}, "grace_hours": {"9999"}})
		wantStatus(t, "rotate with bad grace", r, http.StatusBadRequest)
		r = c.post(fmt.Sprintf("/apps/%d/rotate", app.ID), url.Values{"csrf_token": {token}, "grace_hours": {"24"}})
		wantStatus(t, "rotate", r, http.StatusCreated)
		wantBody(t, "rotate", r, "已轮换密钥", "在 24 小时内仍然有效")
		secret2 := keyRE.FindString(r.Body)
		if secret2 == "" || secret2 == secret {
			t.Fatalf("rotation showed key %q, want a new one", secret2)
		}
		for _, s := range []string{secret, secret2} {
			if _, _, _, err := new(org.KeyCache).Authenticate(ctx, db.Read(), s, f.clock.Now()); err != nil {
				t.Errorf("key after rotation with grace: %v", err)
			}
		}
		wantBody(t, "GET /apps after rotation", c.get("/apps"), "宽限期至")

		// Revoking one key, then the app.
		r = c.post(fmt.Sprintf("/apps/%d/keys/%s/revoke", app.ID, keyID), url.Values{"csrf_token": {token}, "confirm": {"yes"}})
		if r.Status != http.StatusSeeOther || r.Location != "/apps?msg=key_revoked" {
			t.Fatalf("revoke key: got %d to %q", r.Status, r.Location)
		}
		if _, _, _, err := new(org.KeyCache).Authenticate(ctx, db.Read(), secret, f.clock.Now()); err == nil {
			t.Error("revoked key still authenticates")
		}
		r = c.post(fmt.Sprintf("/apps/%d/revoke", app.ID), url.Values{"csrf_token": {token}})
		wantStatus(t, "revoke without confirmation", r, http.StatusBadRequest)
		r = c.post(fmt.Sprintf("/apps/%d/revoke", app.ID), url.Values{"csrf_token": {token}, "confirm": {"yes"}})
		if r.Status != http.StatusSeeOther || r.Location != "/apps?msg=revoked" {
			t.Fatalf("revoke app: got %d to %q", r.Status, r.Location)
		}
		r = c.get(r.Location)
		wantBody(t, "after revoke", r, "应用已注销，其全部密钥已吊销", "已注销")
		if _, _, _, err := new(org.KeyCache).Authenticate(ctx, db.Read(), secret2, f.clock.Now()); err == nil {
			t.Error("key of a revoked app still authenticates")
		}

		// The operator sees every department's apps and may create for any.
		op := f.client(t)
		opToken := op.login("operator")
		r = op.get("/apps")
		wantBody(t, "operator's list", r, "全部应用", "户籍核验系统", "佛山市公安局南海分局")
		r = op.post("/apps", url.Values{"csrf_token": {opToken}, "name": {"市场主体登记"}, "scopes": {"records.write"},
			"department": {"佛山市南海区市场监督管理局"}})
		wantStatus(t, "operator creates for another department", r, http.StatusCreated)
		wantBody(t, "market admin sees it", other.get("/apps"), "市场主体登记")
		wantBody(t, "scopes offered to the operator", op.get("/apps"), `value="admin"`, `value="audit.read"`)

		// The admin scope is the platform operator's department's only,
		// refused beside the scopes. An app stored with it anyway (by an
		// older version): its department's administrator may not take a
		// key of it by rotation.
		r = op.post("/apps", url.Values{"csrf_token": {opToken}, "name": {"运维接口"}, "scopes": {"admin"},
			"department": {f.depts["市场监管局"].USCC}})
		wantStatus(t, "operator creates an admin app for another department", r, http.StatusBadRequest)
		wantBody(t, "operator creates an admin app for another department", r, `<span class="field-error" id="app-scopes-error">权限范围“管理部门、账号与应用”（admin）只能授予政务数据主管部门的应用`)
		r = op.post("/apps", url.Values{"csrf_token": {opToken}, "name": {"运维接口"}, "scopes": {"catalog.read"},
			"department": {f.depts["市场监管局"].USCC}})
		wantStatus(t, "operator creates an app", r, http.StatusCreated)
		if _, err := db.Write().ExecContext(ctx, `UPDATE apps SET scopes = 'admin' WHERE name = '运维接口'`); err != nil {
			t.Fatal(err)
		}
		apps, err := org.Apps(ctx, db.Read(), f.depts["市场监管局"].ID)
		if err != nil {
			t.Fatal(err)
		}
		rotated := false
		for _, a := range apps {
			if a.Name == "运维接口" {
				rotated = true
				r = other.post(fmt.Sprintf("/apps/%d/rotate", a.ID), url.Values{"csrf_token": {otherToken}, "grace_hours": {"0"}})
				wantStatus(t, "administrator rotates an admin app", r, http.StatusForbidden)
				wantNoBody(t, "administrator rotates an admin app", r, "只显示这一次")
			}
		}
		if !rotated {
			t.Errorf("app 运维接口 not among 市场监管局's apps: %+v", apps)
		}
	})
}

func TestAudit(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		c := f.client(t)
		c.post("/login", url.Values{"username": {"operator"}, "password": {"not-the-password"}})
		c.login("auditor")
		// Enough rows for a second page.
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			for i := range 60 {
				if err := audit.Record(ctx, tx, audit.Event{Action: "test.read", ObjectType: "record",
					ObjectID: fmt.Sprint(i), SubjectID: "440605199001011234"}, f.clock.Now()); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}

		r := c.get("/audit")
		wantStatus(t, "GET /audit", r, http.StatusOK)
		wantBody(t, "GET /audit", r, "test.read", "下一页", "校验审计链")
		next := regexp.MustCompile(`href="([^"]+)" class="btn" id="next-page"`).FindStringSubmatch(r.Body)
		if next == nil {
			t.Fatal("no next page link")
		}
		r = c.get(strings.ReplaceAll(next[1], "&amp;", "&"))
		wantStatus(t, "second page", r, http.StatusOK)
		wantBody(t, "second page", r, "第一页", "新增部门", "department.create", "部门："+f.depts["市场监管局"].Name)

		r = c.get("/audit?outcome=denied&action=auth.")
		wantStatus(t, "filtered", r, http.StatusOK)
		wantBody(t, "filtered", r, "登录", "拒绝", "operator")
		wantNoBody(t, "filtered", r, "test.read", `tag-ok">成功<`)

		r = c.get("/audit?outcome=bogus")
		wantStatus(t, "bad outcome", r, http.StatusBadRequest)

		r = c.get("/audit/verify")
		wantStatus(t, "verify", r, http.StatusOK)
		wantBody(t, "verify", r, "审计链完整", "<html", `id="verify-head"`)
		r = c.get("/audit/verify", "HX-Request", "true")
		wantStatus(t, "verify via htmx", r, http.StatusOK)
		wantBody(t, "verify via htmx", r, "审计链完整")
		wantNoBody(t, "verify via htmx", r, "<html", "sidenav")

		// Tampering shows.
		if _, err := db.Write().ExecContext(ctx, `UPDATE audit_log SET subject_id = 'x' WHERE seq = 20`); err != nil {
			t.Fatal(err)
		}
		r = c.get("/audit/verify")
		wantBody(t, "verify after tampering", r, "审计链异常", "第 20 条")
	})
}

func TestHome(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		statRE := regexp.MustCompile(`<div class="stat-value">(\d+)</div>\s*<div class="stat-label">(?:<a href="[^"]*">)?([^<]+)`)
		stats := func(c *client) map[string]string {
			out := map[string]string{}
			for _, m := range statRE.FindAllStringSubmatch(c.get("/").Body, -1) {
				out[m[2]] = m[1]
			}
			return out
		}
		op := f.loggedIn(t, "operator")
		got := stats(op)
		for label, want := range map[string]string{"接入部门": "3", "平台账号": "6", "平台在用应用": "0"} {
			if got[label] != want {
				t.Errorf("operator's %s = %q, want %s (all: %v)", label, got[label], want, got)
			}
		}
		if got["今日审计记录"] == "" || got["今日审计记录"] == "0" {
			t.Errorf("operator's 今日审计记录 = %q, want a positive count", got["今日审计记录"])
		}
		rv := f.loggedIn(t, "reviewer")
		got = stats(rv)
		if got["本部门账号"] != "3" {
			t.Errorf("reviewer's 本部门账号 = %q, want 3 (all: %v)", got["本部门账号"], got)
		}
		if _, ok := got["今日审计记录"]; ok {
			t.Errorf("reviewer sees the audit count: %v", got)
		}
	})
}

// TestHomeAuditLinks: each of the home page's audit counts links to the
// audit page listing the rows it counts: today's (Beijing time), and
// today's refused or failed, not yesterday's nor the ok ones. On both
// engines.
func TestHomeAuditLinks(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		by := audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"}
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			for _, at := range []time.Time{f.clock.Now().Add(-11 * time.Hour), f.clock.Now().Add(-time.Hour)} { // 09-30 23:00, 10-01 09:00
				for _, o := range []string{audit.OK, audit.Denied, audit.Denied, audit.Failed} {
					if err := audit.Record(ctx, tx, audit.Event{Actor: by, Action: "records.read", ObjectType: "catalog_entry",
						ObjectID: "1", Outcome: o}, at); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		statRE := regexp.MustCompile(`<div class="stat-value">(\d+)</div>\s*<div class="stat-label"><a href="([^"]*)">([^<]+)`)
		for _, u := range []string{"auditor", "operator"} {
			c := f.client(t)
			c.login(u)
			links := map[string][2]string{}
			for _, m := range statRE.FindAllStringSubmatch(c.get("/").Body, -1) {
				links[m[3]] = [2]string{m[1], html.UnescapeString(m[2])}
			}
			// The first read of the log adds a row of today to the first
			// count, not to the second.
			for _, c2 := range [][2]string{{"今日审计记录", "/audit?since=2026-10-01&until=2026-10-01"},
				{"今日拒绝或失败", "/audit?outcome=denied%2Cfailed&since=2026-10-01&until=2026-10-01"}} {
				label, want := c2[0], c2[1]
				l, ok := links[label]
				if !ok || l[1] != want {
					t.Errorf("%s: %s links to %q, want %s (all: %v)", u, label, l[1], want, links)
					continue
				}
				r := c.get(l[1])
				wantStatus(t, u+" "+label, r, http.StatusOK)
				if n := strconv.Itoa(len(auditRows(r))); n != l[0] {
					t.Errorf("%s: %s counts %s, its link lists %s", u, label, l[0], n)
				}
				wantBody(t, u+" "+label, r, `value="2026-10-01"`)
				if label == "今日拒绝或失败" {
					wantBody(t, u+" "+label, r, `<option value="denied,failed" selected>拒绝或失败</option>`)
				}
			}
			if n := links["今日拒绝或失败"][0]; n != "3" {
				t.Errorf("%s: 今日拒绝或失败 %s, want 3", u, n)
			}
		}
	})
}

// TestHomeCalendarNotice: in December, while the coming year's holidays
// are not entered, the home page asks the platform operator, who imports
// them (--calendar), to do so; other roles, who cannot, are not told to.
func TestHomeCalendarNotice(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		f.clock.Add(70 * 24 * time.Hour) // 2026-12-10; the calendar has no 2027
		notice := "2027年的节假日安排尚未录入"
		for _, u := range []string{"operator", "police.admin", "reviewer", "auditor"} {
			c := f.client(t)
			c.login(u)
			r := c.get("/")
			wantStatus(t, u, r, http.StatusOK)
			if u == "operator" {
				wantBody(t, u, r, notice, "--calendar")
			} else {
				wantNoBody(t, u, r, notice, "--calendar")
			}
		}
	})
}

func TestOrgPage(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.loggedIn(t, "operator")
		r := c.get("/org")
		wantStatus(t, "GET /org", r, http.StatusOK)
		wantBody(t, "GET /org", r, "佛山市南海区市场监督管理局", "南海区（县区级）", f.depts["公安分局"].USCC,
			"主管部门", "李管理", "police.admin", "部门管理员", "审核员", "审计员")
	})
}

func TestCalendar(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.loggedIn(t, "reviewer")
		r := c.get("/calendar")
		wantStatus(t, "GET /calendar", r, http.StatusOK)
		wantBody(t, "GET /calendar", r, "<h2>按工作日计算期限</h2>", "2026年节假日与调休安排", "国庆节", "2026年10月1日 至 2026年10月7日", "调休上班", `value="2026-10-01"`)

		// 2026-09-30 (Wednesday) + 1 working day skips the National Day holiday.
		r = c.get("/calendar?from=2026-09-30&days=1")
		wantStatus(t, "deadline", r, http.StatusOK)
		wantBody(t, "deadline", r, "期限为 <strong>2026年10月8日 星期四</strong>")
		// 2026-10-09 (Friday) + 1 working day is Saturday 10-10, an adjusted working day.
		r = c.get("/calendar?from=2026-10-09&days=1")
		wantBody(t, "deadline on adjusted working day", r, "2026年10月10日 星期六")
		// White space around the start is ignored, as around the days and as
		// the API's deadline ignores it; a start with a space after it was
		// refused (400 起算日期应为 YYYY-MM-DD 格式).
		for _, q := range []string{"from=2026-09-30%20&days=1", "from=%202026-09-30%20&days=1%20"} {
			r = c.get("/calendar?" + q)
			wantStatus(t, q, r, http.StatusOK)
			wantBody(t, q, r, "期限为 <strong>2026年10月8日 星期四</strong>", `value="2026-09-30"`)
		}

		for _, q := range []string{"from=2026-09-30&days=-1", "from=2026-09-30&days=abc", "from=30.09.2026&days=2"} {
			r = c.get("/calendar?" + q)
			wantStatus(t, q, r, http.StatusBadRequest)
		}
		r = c.get("/calendar?year=2030")
		wantStatus(t, "uncovered year", r, http.StatusOK)
		wantBody(t, "uncovered year", r, "2030年的节假日安排尚未录入",
			"元旦、春节、清明节、劳动节、端午节、中秋节、国庆节由通知安排的放假日期和调休上班日未知", "2030年10月1日 至 2030年10月3日", "法定节日（推定）")
		// 2027 is not covered: 1 January is still a statutory holiday.
		r = c.get("/calendar?year=2027&from=2026-12-30&days=5")
		wantStatus(t, "deadline into an uncovered year", r, http.StatusOK)
		wantBody(t, "deadline into an uncovered year", r, "期限为 <strong>2027年1月7日 星期四</strong>",
			"起算日至期限之间，2027年（缺少元旦、春节、清明节、劳动节、端午节、中秋节、国庆节）的节假日安排尚未录入或不全", "<td>元旦</td>")
		// The deadline's own year is covered, its start's is not: the page
		// warns as the API's covered:false does; it checked the due year only.
		r = c.get("/calendar?from=2024-09-30&days=70")
		wantStatus(t, "deadline from an uncovered year", r, http.StatusOK)
		wantBody(t, "deadline from an uncovered year", r, "期限为 <strong>2025年",
			"起算日至期限之间，2024年（缺少元旦、春节、清明节、劳动节、端午节、中秋节、国庆节）的节假日安排尚未录入或不全")
		r = c.get("/calendar?from=2025-09-30&days=70")
		wantNoBody(t, "deadline within covered years", r, "起算日至期限之间")
		for _, y := range []string{"abc", "1949", "10000"} {
			r := c.get("/calendar?year=" + y)
			wantStatus(t, "bad year "+y, r, http.StatusBadRequest)
			wantBody(t, "bad year "+y, r, "日历支持 1950 到 9999 年")
		}

		// In December the home page warns of a coming year without holidays.
		if r = c.get("/"); strings.Contains(r.Body, "跨入该年") {
			t.Errorf("home in October warns of the coming year: %s", r.Body)
		}
		f.clock.Add(time.Date(2030, 12, 10, 10, 0, 0, 0, calendar.Location()).Sub(f.clock.Now()))
		c.login("reviewer")
		r = c.get("/")
		wantBody(t, "home in December", r, "2030年的节假日安排尚未录入，工作日只按周末和元旦、劳动节、国庆节及其补假计算")
		wantNoBody(t, "reviewer's home in December", r, "2031年的节假日安排尚未录入")
		op := f.loggedIn(t, "operator")
		wantBody(t, "operator's home in December", op.get("/"), "2030年的节假日安排尚未录入，工作日只按周末和元旦、劳动节、国庆节及其补假计算",
			"2031年的节假日安排尚未录入，跨入该年的期限只按周末和元旦、劳动节、国庆节及其补假计算")
	})
}

// TestCalendarPartialYear: a year whose file arranges only some of the
// notice's holidays is shown as incomplete, naming those missing, and its
// list holds every day off: the file's and the statutory holidays no rule
// arranges (元旦, 劳动节), once, where the page called such a year not
// entered at all and listed the file's 国庆节 beside an assumed one. A
// deadline into it names the holidays it could not count, and so does the
// home page, in that year and, to the operator, in the December before
// it. A year whose only
// rule is the next 元旦 beginning on its last day is not entered, and the
// range's first and last years link to no year outside it. On both
// engines.
func TestCalendarPartialYear(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rules, err := calendar.Parse(strings.NewReader("2027-02-06..2027-02-14 holiday 春节\n2027-10-01..2027-10-07 holiday 国庆节、中秋节\n"))
		if err != nil {
			t.Fatal(err)
		}
		cal, err := calendar.Default().With(rules)
		if err != nil {
			t.Fatal(err)
		}
		partial := cal
		f := newFixture(t, db, cal)
		c := f.loggedIn(t, "reviewer")
		r := c.get("/calendar?year=2027")
		wantStatus(t, "partial 2027", r, http.StatusOK)
		wantBody(t, "partial 2027", r, "2027年的节假日安排不全，缺少元旦、清明节、劳动节、端午节由通知安排的放假日期和调休上班日",
			"2027年2月6日 至 2027年2月14日", "2027年10月1日 至 2027年10月7日", "<td>元旦</td>", "<td>劳动节</td>")
		wantNoBody(t, "partial 2027", r, "尚未录入", "<td>国庆节</td>")
		r = c.get("/calendar?year=2027&from=2027-03-30&days=5")
		wantBody(t, "deadline into partial 2027", r, "2027年（缺少元旦、清明节、劳动节、端午节）的节假日安排尚未录入或不全")
		// A year whose only rule is the next year's 元旦 beginning on its
		// last day has no arrangements of its own.
		rules, err = calendar.Parse(strings.NewReader("2030-12-31..2031-01-02 holiday 元旦\n"))
		if err != nil {
			t.Fatal(err)
		}
		if cal, err = calendar.Default().With(rules); err != nil {
			t.Fatal(err)
		}
		c = newFixture(t, sqldbtest.SQLite(t), cal).client(t) // the page reads no table
		c.login("reviewer")
		r = c.get("/calendar?year=2030")
		wantBody(t, "2030 with the next 元旦", r, "2030年的节假日安排尚未录入")
		wantNoBody(t, "2030 with the next 元旦", r, "安排不全")
		// The home page says the same of the year it is in, and names
		// what a partial one lacks.
		home := newFixture(t, sqldbtest.SQLite(t), partial)
		home.clock.Add(time.Date(2026, 12, 10, 10, 0, 0, 0, calendar.Location()).Sub(home.clock.Now()))
		oc := home.client(t)
		oc.login("operator")
		r = oc.get("/")
		wantBody(t, "operator's home before partial 2027", r, "2027年的节假日安排不全，缺少元旦、清明节、劳动节、端午节，跨入该年的期限")
		wantNoBody(t, "operator's home before partial 2027", r, "2027年的节假日安排尚未录入")
		home.clock.Add(time.Date(2027, 4, 1, 10, 0, 0, 0, calendar.Location()).Sub(home.clock.Now()))
		hc := home.client(t)
		hc.login("reviewer")
		r = hc.get("/")
		wantBody(t, "home in partial 2027", r, "2027年的节假日安排不全，缺少元旦、清明节、劳动节、端午节")
		wantNoBody(t, "home in partial 2027", r, "尚未录入")
		// The range's ends link to no year it refuses.
		r = c.get("/calendar?year=1950")
		wantNoBody(t, "1950", r, "year=1949")
		wantBody(t, "1950", r, "year=1951")
		r = c.get("/calendar?year=9999")
		wantNoBody(t, "9999", r, "year=10000")
	})
}

func TestStaticAndNotFound(t *testing.T) {
	f := newFixture(t, sqldbtest.SQLite(t))
	c := f.client(t)
	r := c.get("/static/app.css")
	wantStatus(t, "app.css", r, http.StatusOK)
	if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age") {
		t.Errorf("app.css Cache-Control = %q, want max-age", cc)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
		t.Errorf("app.css Content-Type = %q", ct)
	}
	// The login page links versioned URLs, which may be cached for good.
	login := c.get("/login")
	m := regexp.MustCompile(`src="(/static/htmx\.min\.js\?v=[0-9a-f]+)"`).FindStringSubmatch(login.Body)
	if m == nil {
		t.Fatalf("login page links no versioned htmx:\n%s", login.Body)
	}
	r = c.get(m[1])
	wantStatus(t, "htmx", r, http.StatusOK)
	if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("versioned htmx Cache-Control = %q, want immutable", cc)
	}
	wantBody(t, "htmx", r, "htmx")

	r = c.get("/no/such/page")
	wantStatus(t, "unknown page", r, http.StatusNotFound)
	wantBody(t, "unknown page", r, "页面不存在", "/no/such/page")
	wantStatus(t, "unknown static file", c.get("/static/nope.js"), http.StatusNotFound)
	wantStatus(t, "static directory", c.get("/static/"), http.StatusNotFound)
}

// TestDev checks that Dev mode reads templates from disk, relative to the
// repository root.
func TestDev(t *testing.T) {
	db := sqldbtest.SQLite(t)
	t.Chdir("../..")
	authn := &auth.Authenticator{DB: db, Log: testLogger(t), Now: time.Now}
	w, err := web.New(web.Config{DB: db, Log: testLogger(t), Auth: authn, Dev: true})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	w.Register(mux)
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "/login", nil))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "工作人员登录") {
		t.Fatalf("GET /login in Dev mode: %d\n%s", rec.Code, rec.Body)
	}
	rec = httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "/static/app.css", nil))
	if rec.Code != http.StatusOK || rec.Header().Get("Cache-Control") != "no-cache" {
		t.Fatalf("GET /static/app.css in Dev mode: %d, Cache-Control %q", rec.Code, rec.Header().Get("Cache-Control"))
	}
}
