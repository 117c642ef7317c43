package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/hutong-gov/hutong/internal/api"
	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// bodyRoutes are the routes that read a request body, each with who calls
// it in FuzzRequestBodies: the department's administrator (catalog
// writes, its own apps) or the platform operator (reviews, registration,
// security levels, records rules, accounts). {entry} is a published entry
// of the administrator's department, {review} one submitted for review
// (until an input rejects it), {app} an app of that department. POST
// …/ops has FuzzDecodeOp.
var bodyRoutes = []struct {
	method, path string
	operator     bool
}{
	{"POST", "/api/v1/catalog/entries", false},
	{"PUT", "/api/v1/catalog/entries/{entry}", false},
	{"POST", "/api/v1/catalog/registration", true},
	{"POST", "/api/v1/catalog/import-mappings", false},
	{"POST", "/api/v1/apps", false},
	{"POST", "/api/v1/apps/{app}/rotate", false},
	{"PUT", "/api/v1/records/entries/{entry}/rule", true},
	{"PUT", "/api/v1/catalog/security-levels/2", true},
	{"POST", "/api/v1/catalog/entries/{review}/conflicts/1/decision", true},
	{"POST", "/api/v1/catalog/entries/{review}/reject", true},
	{"POST", "/api/v1/records/discrepancies/1/feedback", false},
	{"POST", "/api/v1/records/discrepancies/1/resolve", true},
	{"POST", "/api/v1/users", true},
	{"POST", "/api/v1/me/password", false},
	{"POST", "/api/v1/auth/login", false},
	{"POST", "/api/v1/regions", true},
	{"POST", "/api/v1/departments", true},
}

// bodySeeds are request bodies of real shapes, by route (bodyRoutes).
var bodySeeds = map[int][]string{
	0: {marriageEntry, `{"name":"营业执照信息","department_id":2}`, `{"name":"N/A","items":[]}`},
	1: {marriageEntry, strings.Replace(marriageEntry, `"security_level":3`, `"security_level":9`, 1)},
	2: {`{"format":"hutong.catalog.registration/v1","exported_at":"2026-03-01T00:00:00Z","entries":[{"code":"303001/000001",
		"provider":{"name":"福州市民政局","uscc":"11350100003603551Q","region_code":"440605"},"version":1,
		"published_at":"2026-02-01T00:00:00Z","resource":` + marriageEntry + `}]}`,
		`{"format":"v0","entries":null}`},
	3: {`{"name":"开放数据","columns":{"资源名称":"name","资源摘要":"abstract","备注":""},"defaults":{"网络环境":"政务外网"}}`,
		`{"name":"x","defaults":{"name":"甲"}}`},
	4: {`{"name":"婚姻登记核验","scopes":["catalog.read","records.write"],"description":"民政业务系统"}`,
		`{"name":"x","scopes":["admin"]}`},
	5:  {`{"grace_hours":0}`, `{"grace_hours":721}`, `{"grace_hours":null}`},
	6:  {`{"rule":"within2","note":"按《政务数据共享管理办法》"}`, `{"rule":""}`, `{"rule":"weekly"}`},
	7:  {`{"name":"三级","description":"重要数据，泄露后对公共利益造成较大影响"}`, `{"name":"","description":"x"}`},
	8:  {`{"authoritative_entry_id":1}`, `{"authoritative_entry_id":-1}`},
	9:  {`{"reason":"信息项“登记日期”类型应为D"}`, `{"reason":""}`},
	10: {`{"feedback":"本部门数据以婚姻登记系统为准"}`},
	11: {`{"authoritative_entry_id":1,"note":"以民政数据为准"}`},
	12: {`{"username":"nh.reviewer","display_name":"南海审核员","department_id":1,"role":"reviewer","password":"Correct-Horse-10"}`,
		`{"username":"UPPER","role":"god"}`},
	13: {`{"current_password":"Correct-Horse-9","password":"short"}`},
	14: {`{"username":"nh.op","password":"wrong"}`, `{"username":"","password":""}`},
	15: {`{"code":"440606","name":"顺德区","level":"district","parent_code":"440000"}`, `{"code":"44","level":"x"}`},
	16: {`{"name":"南海区卫生健康局","uscc":"12440605MB2C92351X","region_code":"440605","parent_id":1}`},
}

// FuzzRequestBodies sends arbitrary bodies to every route that reads one,
// through the real router, authentication, decoding, validation and
// storage (SQLite, seeded once per fuzzing process): whatever the body,
// the answer is no 5xx, and a refusal is a problem with a stable code, a
// Chinese title and a Chinese message. The database keeps what earlier inputs created; the
// property holds whatever it holds.
func FuzzRequestBodies(f *testing.F) {
	for i := range bodyRoutes {
		for _, s := range append(bodySeeds[i], `{}`, `{"name":1}`, ``) {
			f.Add(uint8(i), []byte(s))
		}
	}
	s := newFuzzServer(f)
	f.Fuzz(func(t *testing.T, route uint8, body []byte) {
		rt := bodyRoutes[int(route)%len(bodyRoutes)]
		path := strings.NewReplacer("{entry}", s.entry, "{review}", s.review, "{app}", s.app).Replace(rt.path)
		hdr := s.admin
		if rt.operator {
			hdr = s.op
		}
		st, p := s.do(rt.method, path, body, hdr)
		if st >= 500 || st >= 400 && (p.Code == "" || !strings.ContainsFunc(p.Title, isHan) || !strings.ContainsFunc(p.Detail, isHan)) {
			t.Fatalf("%s %s %q: %d %+v, want a 2xx, or a 4xx with a code and a Chinese title and message", rt.method, path, body, st, p)
		}
	})
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

type problem struct {
	Code   string `json:"code"`
	Title  string `json:"title"`
	Detail string `json:"detail"`
}

// fuzzServer is the API's handler over a seeded SQLite database, called
// without a network, with the sessions of a department's administrator
// and of the platform operator.
type fuzzServer struct {
	h                  http.Handler
	cookie             string   // the session cookie the last login set
	admin, op          []string // Cookie and CSRF headers
	entry, review, app string   // ids of the administrator's department's published entry, entry under review and app
}

func newFuzzServer(tb testing.TB) *fuzzServer {
	db := sqldbtest.SQLite(tb)
	ctx := context.Background()
	by := audit.Actor{Kind: audit.ActorSystem, ID: "test"}
	err := db.Tx(ctx, func(tx *sqldb.Tx) error {
		for _, r := range []org.Region{{Code: "440000", Name: "广东省", Level: org.Province},
			{Code: "440605", Name: "南海区", Level: org.District, ParentCode: "440000"}} {
			if err := org.CreateRegion(ctx, tx, by, r, t0); err != nil {
				return err
			}
		}
		d := org.Department{Name: "南海区政务服务数据管理局", USCC: "91350100M000100Y43", RegionCode: "440605", IsOperator: true}
		if err := org.CreateDepartment(ctx, tx, by, &d, t0); err != nil {
			return err
		}
		o := org.Department{Name: "南海区民政局", USCC: "11440605MB2C9235XX", RegionCode: "440605"}
		if err := org.CreateDepartment(ctx, tx, by, &o, t0); err != nil {
			return err
		}
		for _, u := range []org.NewUser{
			{Username: "nh.op", DisplayName: "主管", DepartmentID: d.ID, Role: org.Operator, Password: password},
			{Username: "mz.admin", DisplayName: "民政管理员", DepartmentID: o.ID, Role: org.DeptAdmin, Password: password},
		} {
			if _, err := org.CreateUser(ctx, tx, by, u, t0); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	now := func() time.Time { return t0 }
	authn := &auth.Authenticator{DB: db, Log: log, Now: now}
	a := &api.API{DB: db, Log: log, Now: now, Auth: authn, Calendar: calendar.Default()}
	mux := http.NewServeMux()
	a.Register(mux)
	s := &fuzzServer{h: authn.Middleware(a.Error)(mux)}
	s.admin, s.op = s.login(tb, "mz.admin"), s.login(tb, "nh.op")
	var created struct {
		ID  json.Number `json:"id"`
		App struct {
			ID json.Number `json:"id"`
		} `json:"app"`
	}
	step := func(method, path, body string, hdr []string) {
		st, b := s.call(method, path, []byte(body), hdr)
		if st >= 300 {
			tb.Fatalf("%s %s: %d %s", method, path, st, b)
		}
		json.Unmarshal(b, &created)
	}
	step("POST", "/api/v1/catalog/entries", marriageEntry, s.admin)
	s.entry = created.ID.String()
	step("POST", "/api/v1/catalog/entries/"+s.entry+"/submit", "", s.admin)
	step("POST", "/api/v1/catalog/entries/"+s.entry+"/approve", "", s.op)
	step("POST", "/api/v1/catalog/entries", strings.Replace(marriageEntry, "婚姻登记信息", "收养登记信息", 1), s.admin)
	s.review = created.ID.String()
	step("POST", "/api/v1/catalog/entries/"+s.review+"/submit", "", s.admin)
	step("POST", "/api/v1/apps", `{"name":"婚姻登记系统","scopes":["catalog.read"]}`, s.admin)
	s.app = created.App.ID.String()
	return s
}

// login returns the Cookie and CSRF headers of a session of username.
func (s *fuzzServer) login(tb testing.TB, username string) []string {
	st, b := s.call("POST", "/api/v1/auth/login", []byte(`{"username":"`+username+`","password":"`+password+`"}`), nil)
	var out struct {
		CSRF string `json:"csrf_token"`
	}
	if err := json.Unmarshal(b, &out); st != 200 || err != nil {
		tb.Fatalf("login %s: %d %s", username, st, b)
	}
	return []string{"Cookie", s.cookie, auth.CSRFHeader, out.CSRF}
}

// call serves one request and returns its status and body; the session
// cookie it sets, if any, is kept in s.cookie.
func (s *fuzzServer) call(method, path string, body []byte, hdr []string) (int, []byte) {
	r := httptest.NewRequest(method, path, strings.NewReader(string(body)))
	r.RemoteAddr = "192.0.2.1:1234"
	if len(body) > 0 {
		r.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	s.h.ServeHTTP(w, r)
	for _, c := range w.Result().Cookies() {
		if c.Name == auth.SessionCookie {
			s.cookie = c.Name + "=" + c.Value
		}
	}
	return w.Code, w.Body.Bytes()
}

// do serves one request and reads the problem it answers, if any.
func (s *fuzzServer) do(method, path string, body []byte, hdr []string) (int, problem) {
	st, b := s.call(method, path, body, hdr)
	var p problem
	json.Unmarshal(b, &p)
	return st, p
}

// queryRoutes are routes whose query string FuzzQueryStrings fuzzes, with
// a query of real shape each: the working-day deadline, the audit log's
// filters and verification anchor, the catalog's search (its q tokenizer
// and filters) and the lists' cursors.
var queryRoutes = []struct{ path, seed string }{
	{"/api/v1/calendar/deadline", "from=2026-09-30&days=5"},
	{"/api/v1/audit", "action=group:records&since=2026-10-01&until=2026-10-08T00:00:00%2B08:00&actor_kind=user&limit=50"},
	{"/api/v1/audit/verify", "anchor=1:" + strings.Repeat("0", 64)},
	{"/api/v1/catalog/entries", "q=外国企业常驻代表机构登记&share_type=conditional&security_level=3&sort=relevance&facets=true"},
	{"/api/v1/public/catalog", "q=我的社保&department_id=2&update_frequency=daily&limit=5"},
	{"/api/v1/departments", "q=民政&limit=1&cursor=ZGVwYXJ0bWVudHM6MQ"},
	{"/api/v1/catalog/entries/{entry}/diff", "from=1&to=1"},
}

// FuzzQueryStrings sends arbitrary query strings to the routes that read
// parameters (queryRoutes), as the platform operator, over the same
// seeded database as FuzzRequestBodies: no 5xx whatever the query, and a
// refusal is a problem with a stable code, a Chinese title and a Chinese
// message.
func FuzzQueryStrings(f *testing.F) {
	for i, rt := range queryRoutes {
		for _, q := range []string{rt.seed, "", "limit=-1", "from=9999-12-31T23:59:59Z&days=3650", "q=%ff", "since=0000-01-01T00:00:00%2B14:00"} {
			f.Add(uint8(i), q)
		}
	}
	s := newFuzzServer(f)
	f.Fuzz(func(t *testing.T, route uint8, query string) {
		rt := queryRoutes[int(route)%len(queryRoutes)]
		path := strings.NewReplacer("{entry}", s.entry).Replace(rt.path)
		if _, err := url.ParseRequestURI(path + "?" + query); err != nil || strings.ContainsAny(query, "# ") {
			return // not a query string a client can send
		}
		st, p := s.do("GET", path+"?"+query, nil, s.op)
		if st >= 500 || st >= 400 && (p.Code == "" || !strings.ContainsFunc(p.Title, isHan) || !strings.ContainsFunc(p.Detail, isHan)) {
			t.Fatalf("GET %s?%s: %d %+v, want a 2xx, or a 4xx with a code and a Chinese title and message", path, query, st, p)
		}
	})
}
