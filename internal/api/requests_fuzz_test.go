package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/hutong-gov/hutong/internal/api"
	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/org/orgtest"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// bodyRoutes are the routes that read a request body, each with who calls
// it in FuzzRequestBodies: the department's administrator (catalog
// writes and imports, its own apps, discrepancy feedback), the platform
// operator (reviews, registration, security levels, records rules,
// accounts, departments, resolutions), a throwaway account of that
// department (its own password) or an app of 公安 (its records' batches).
// {entry} is a published entry of the administrator's department,
// {retiree} another one (retired, it is replaced: fuzzServer.restore),
// {review} one submitted for review, {conflict} a source conflict of
// {review}, {discrepancy} a discrepancy between that department's records
// and another's, {app} an app of that department, {dept} a department of
// its own, {user} an account of its own, {gaentry} 公安's entry. Every
// route that may carry a body is either here or in bodyless
// (TestBodyRoutesEveryRoute).
var bodyRoutes = []struct {
	method, path string
	caller       string // "admin", "op", "self" or "ga"
	contentType  string // "" for application/json
}{
	{"POST", "/api/v1/catalog/entries", "admin", ""},
	{"PUT", "/api/v1/catalog/entries/{entry}", "admin", ""},
	{"POST", "/api/v1/catalog/registration", "op", ""},
	{"POST", "/api/v1/catalog/import-mappings", "admin", ""},
	{"POST", "/api/v1/apps", "admin", ""},
	{"POST", "/api/v1/apps/{app}/rotate", "admin", ""},
	{"PUT", "/api/v1/records/entries/{entry}/rule", "op", ""},
	{"PUT", "/api/v1/catalog/security-levels/2", "op", ""},
	{"POST", "/api/v1/catalog/entries/{review}/conflicts/{conflict}/decision", "op", ""},
	{"POST", "/api/v1/catalog/entries/{review}/reject", "op", ""},
	{"POST", "/api/v1/records/discrepancies/{discrepancy}/feedback", "admin", ""},
	{"POST", "/api/v1/records/discrepancies/{discrepancy}/resolve", "op", ""},
	{"POST", "/api/v1/users", "op", ""},
	{"POST", "/api/v1/me/password", "self", ""},
	{"POST", "/api/v1/auth/login", "", ""},
	{"POST", "/api/v1/regions", "op", ""},
	{"POST", "/api/v1/departments", "op", ""},
	{"PUT", "/api/v1/departments/{dept}", "op", ""},
	{"POST", "/api/v1/users/{user}/password", "op", ""},
	{"POST", "/api/v1/catalog/entries/{retiree}/retire", "admin", ""},
	{"POST", "/api/v1/catalog/entries/{retiree}/retire/reject", "op", ""},
	{"POST", "/api/v1/catalog/import?format=csv&dry_run=true", "admin", "text/csv"},
	{"POST", "/api/v1/records/entries/{gaentry}/batches", "ga", "application/x-ndjson"},
	{"PATCH", "/api/v1/users/{user}", "op", ""},
	{"POST", "/api/v1/catalog/transfers", "op", ""},
}

// bodyless are the routes that may carry a body (POST, PUT, PATCH, DELETE)
// but whose handlers read none, with why they are not in bodyRoutes.
var bodyless = map[string]string{
	"POST /api/v1/auth/logout":                          "reads no body",
	"POST /api/v1/departments/{id}/disable":             "reads no body",
	"POST /api/v1/departments/{id}/enable":              "reads no body",
	"POST /api/v1/users/{id}/disable":                   "reads no body",
	"POST /api/v1/users/{id}/enable":                    "reads no body",
	"POST /api/v1/apps/{id}/revoke":                     "reads no body",
	"DELETE /api/v1/apps/{id}/keys/{key_id}":            "reads no body",
	"POST /api/v1/records/entries/{id}/ops":             "FuzzDecodeOp fuzzes its body",
	"POST /api/v1/records/crosscheck":                   "reads no body",
	"DELETE /api/v1/catalog/entries/{id}":               "reads no body",
	"POST /api/v1/catalog/entries/{id}/submit":          "reads no body",
	"POST /api/v1/catalog/entries/{id}/approve":         "reads no body",
	"DELETE /api/v1/catalog/entries/{id}/revision":      "reads no body",
	"POST /api/v1/catalog/entries/{id}/retire/approve":  "reads no body",
	"POST /api/v1/catalog/entries/{id}/retire/withdraw": "reads no body",
}

// bodySeeds are request bodies of real shapes, by route (bodyRoutes);
// entry 2 is 公安's, the source of {review}'s conflict and {discrepancy}'s
// authority.
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
	8:  {`{"authoritative_entry_id":1}`, `{"authoritative_entry_id":2}`, `{"authoritative_entry_id":-1}`},
	9:  {`{"reason":"信息项“登记日期”类型应为D"}`, `{"reason":""}`},
	10: {`{"feedback":"本部门数据以婚姻登记系统为准"}`, `{"feedback":"  "}`, `{"feedback":"` + strings.Repeat("核", 2001) + `"}`},
	11: {`{"authoritative_entry_id":1,"note":"以民政数据为准"}`, `{"authoritative_entry_id":2,"note":"以户籍登记为准"}`, `{"authoritative_entry_id":999}`},
	12: {`{"username":"nh.reviewer","display_name":"南海审核员","department_id":1,"role":"reviewer","password":"Correct-Horse-10"}`,
		`{"username":"UPPER","role":"god"}`},
	13: {`{"current_password":"Correct-Horse-9","password":"short"}`, `{"current_password":"Correct-Horse-9","password":"Correct-Horse-10"}`},
	14: {`{"username":"nh.op","password":"wrong"}`, `{"username":"","password":""}`,
		`{"Username":"nh.op","password":"wrong"}`, `{"username":"nh.op","username":"nh.admin","password":"wrong"}`},
	15: {`{"code":"440606","name":"顺德区","level":"district","parent_code":"440000"}`, `{"code":"44","level":"x"}`},
	16: {`{"name":"南海区卫生健康局","uscc":"12440605MB2C92351X","region_code":"440605","parent_id":1}`},
	17: {`{"name":"佛山市南海区档案馆","short_name":"区档案馆","uscc":"` + demo.USCC("440605", 78) + `"}`, `{"name":"","uscc":"91350100M000100Y43"}`},
	18: {`{"password":"Correct-Horse-10"}`, `{"password":"short"}`},
	19: {`{"reason":"已由新版资源取代"}`, `{"reason":""}`},
	20: {`{"reason":"与现行资源并不重复，暂不注销"}`, `{"reason":""}`},
	21: {importCSV, "资源名称\n" + strings.Repeat(",", 40) + "\n", "\xef\xbb\xbf资源名称,摘要\n甲,乙\n"},
	22: {opLine("add", recordstest.CitizenID(5152), beijing(t0), map[string]string{"姓名": "李四"}) + "\n" +
		opLine("change", recordstest.CitizenID(5151), beijing(t0), map[string]string{"姓名": "张三"}),
		`{"op":"remove","subject_id":"1"}` + "\n" + `{"op":`,
		`{"op":"add","Subject_ID":"` + recordstest.CitizenID(5153) + `","values":{"姓名":"王五"}}`},
	23: {`{"display_name":"南海审核员（调岗）"}`, `{"role":"god"}`, `{"department_id":"1","role":"reviewer"}`},
	24: {`{"from_department_id":999999,"to_department_id":1}`, `{"from_department_id":1,"to_department_id":1}`,
		`{"from_department_id":1,"to_department_id":2,"entry_ids":[-1]}`},
}

// FuzzRequestBodies sends arbitrary bodies to every route that reads one,
// through the real router, authentication, decoding, validation and
// storage (SQLite, seeded once per fuzzing process): whatever the body,
// the answer is no 5xx, a refusal is a problem with a stable code, a
// Chinese title and a Chinese message, and the route's operation in the
// OpenAPI document names the status and the code (undocumentedAnswer). Before each input, the state its
// route acts on is put back (fuzzServer.restore), so that no earlier input
// keeps a later one from the validation behind it.
func FuzzRequestBodies(f *testing.F) {
	for i := range bodyRoutes {
		for _, s := range append(bodySeeds[i], `{}`, `{"name":1}`, ``) {
			f.Add(uint8(i), []byte(s))
		}
	}
	s := newFuzzServer(f)
	doc, err := api.OpenAPIDocument()
	if err != nil {
		f.Fatal(err)
	}
	docPath := routeDocPath()
	f.Fuzz(func(t *testing.T, route uint8, body []byte) {
		rt := bodyRoutes[int(route)%len(bodyRoutes)]
		s.restore(t, rt.path)
		hdr := s.sessions[rt.caller]
		if rt.contentType != "" && len(body) > 0 {
			hdr = append(slices.Clip(hdr), "Content-Type", rt.contentType)
		}
		st, b := s.call(rt.method, s.path(rt.path), body, hdr)
		if st >= 500 || st >= 400 && !explained(st, b) {
			t.Fatalf("%s %s %q: %d %s, want a 2xx, or a 4xx with a code and a Chinese title and message "+
				"(a batch: or a 422 listing its refused lines, each with a code and a Chinese reason)", rt.method, s.path(rt.path), body, st, b)
		}
		var p problem
		json.Unmarshal(b, &p)
		if msg := undocumentedAnswer(t, doc, rt.method, docPath(rt.method, s.path(rt.path)), st, p.Code); msg != "" {
			t.Fatalf("%q: %s", body, msg)
		}
	})
}

// explained tells whether the refusal b says why in Chinese, with a
// stable code: a problem, or the report of a batch with refused lines.
func explained(status int, b []byte) bool {
	var p problem
	json.Unmarshal(b, &p)
	if p.Code != "" {
		return strings.ContainsFunc(p.Title, isHan) && strings.ContainsFunc(p.Detail, isHan)
	}
	var batch struct {
		RejectedCount int `json:"rejected_count"`
		Rejected      []struct {
			Code   string `json:"code"`
			Reason string `json:"reason"`
		} `json:"rejected"`
	}
	if status != http.StatusUnprocessableEntity || json.Unmarshal(b, &batch) != nil || batch.RejectedCount == 0 || len(batch.Rejected) == 0 {
		return false
	}
	for _, l := range batch.Rejected {
		if l.Code == "" || !strings.ContainsFunc(l.Reason, isHan) {
			return false
		}
	}
	return true
}

// TestFuzzServerRestores checks what FuzzRequestBodies relies on: after
// an input rejects {review}, resolves {discrepancy}, changes the
// throwaway account's password or locks an account out, the next input
// to each of those routes reaches validation again.
func TestFuzzServerRestores(t *testing.T) {
	s := newFuzzServer(t)
	send := func(path, body, caller string, want int) {
		t.Helper()
		s.restore(t, path)
		p := strings.NewReplacer("{review}", s.review, "{conflict}", s.conflict, "{discrepancy}", s.discrepancy).Replace(path)
		if st, pr := s.do("POST", p, []byte(body), s.sessions[caller]); st != want {
			t.Fatalf("POST %s %s: %d %+v, want %d", p, body, st, pr, want)
		}
	}
	for range 2 {
		send("/api/v1/catalog/entries/{review}/reject", `{"reason":"信息项不全"}`, "op", 200)
		send("/api/v1/catalog/entries/{review}/conflicts/{conflict}/decision", `{"authoritative_entry_id":`+s.review+`}`, "op", 200)
		send("/api/v1/records/discrepancies/{discrepancy}/resolve", `{"note":"以户籍登记为准"}`, "op", 200)
		send("/api/v1/records/discrepancies/{discrepancy}/feedback", `{"feedback":"经核实，录入有误"}`, "admin", 200)
		send("/api/v1/me/password", `{"current_password":"`+password+`","password":"Correct-Horse-10"}`, "self", 204)
	}
	for range 6 {
		send("/api/v1/auth/login", `{"username":"nh.op","password":"wrong"}`, "", 401)
	}
	for range 6 {
		send("/api/v1/me/password", `{"current_password":"wrong","password":"Correct-Horse-10"}`, "self", 400)
	}
}

// TestBodyRoutesEveryRoute keeps bodyRoutes and bodyless against
// a.Routes(): every route that may carry a body (POST, PUT, PATCH,
// DELETE) is in one of them, so that a new one is fuzzed or said to read
// none, and each of their entries is a route, one only; and every route
// of bodyRoutes has its seeds.
func TestBodyRoutesEveryRoute(t *testing.T) {
	a := &api.API{}
	a.Register(http.NewServeMux())
	routes := http.NewServeMux()
	for _, rt := range a.Routes() {
		routes.Handle(rt.Method+" "+rt.Path, http.NotFoundHandler())
	}
	fuzzed := map[string]bool{}
	for _, br := range bodyRoutes {
		path := regexp.MustCompile(`\{[a-z]+\}`).ReplaceAllString(br.path, "1")
		_, pattern := routes.Handler(httptest.NewRequest(br.method, path, nil))
		if pattern == "" || !strings.HasPrefix(pattern, br.method+" ") {
			t.Errorf("bodyRoutes: %s %s is no route", br.method, br.path)
			continue
		}
		if fuzzed[pattern] {
			t.Errorf("bodyRoutes: %s twice", pattern)
		}
		fuzzed[pattern] = true
		if _, ok := bodyless[pattern]; ok {
			t.Errorf("%s is in bodyRoutes and in bodyless", pattern)
		}
	}
	// A route inserted in bodyRoutes without its seeds would take the
	// next route's, every later one its follower's.
	for i, br := range bodyRoutes {
		if len(bodySeeds[i]) == 0 {
			t.Errorf("bodySeeds: none for bodyRoutes[%d], %s %s", i, br.method, br.path)
		}
	}
	if len(bodySeeds) != len(bodyRoutes) {
		t.Errorf("bodySeeds has %d routes' seeds, bodyRoutes %d routes", len(bodySeeds), len(bodyRoutes))
	}
	known := map[string]bool{}
	for _, rt := range a.Routes() {
		pattern := rt.Method + " " + rt.Path
		known[pattern] = true
		switch rt.Method {
		case "GET", "HEAD":
			continue
		}
		if _, ok := bodyless[pattern]; !fuzzed[pattern] && !ok {
			t.Errorf("%s: neither in bodyRoutes (fuzzed by FuzzRequestBodies) nor in bodyless (reads no body)", pattern)
		}
	}
	for pattern := range bodyless {
		if !known[pattern] {
			t.Errorf("bodyless: %s is no route", pattern)
		}
	}
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

type problem struct {
	Code   string `json:"code"`
	Title  string `json:"title"`
	Detail string `json:"detail"`
}

// fuzzServer is the API of newFixture over a SQLite database, called
// without a network, with the sessions of a department's administrator,
// of the platform operator and of a throwaway account of the department,
// and the objects the routes act on.
type fuzzServer struct {
	db       *sqldb.DB
	h        http.Handler
	cookie   string              // the session cookie the last login set
	sessions map[string][]string // Cookie and CSRF headers, by bodyRoutes' caller

	entry, review, app string // ids of the administrator's department's published entry, entry under review and app
	retiree            string // id of another published entry of the administrator's department, to retire
	retirees           int    // how many entries were published to be retired
	dept, user         string // ids of a department and of an account of their own, to change
	gaEntry            string // id of 公安's entry, where its app pushes batches
	conflict           string // id of a source conflict of review's working version
	discrepancy        string // id of a discrepancy between the administrator's department's records and 公安's
	selfHash           string // the throwaway account's password hash
}

func newFuzzServer(tb testing.TB) *fuzzServer {
	fx := newFixture(tb, sqldbtest.SQLite(tb))
	ctx := context.Background()
	by := audit.Actor{Kind: audit.ActorSystem, ID: "test"}
	var gaID, deptID, userID int64
	var gaKey string
	err := fx.db.Tx(ctx, func(tx *sqldb.Tx) error {
		if _, err := orgtest.CreateUser(ctx, tx, by, org.NewUser{Username: "fz.self", DisplayName: "改密账号",
			DepartmentID: fx.otherID, Role: org.Reviewer, Password: password}, t0); err != nil {
			return err
		}
		u, err := orgtest.CreateUser(ctx, tx, by, org.NewUser{Username: "fz.reset", DisplayName: "重置密码账号",
			DepartmentID: fx.otherID, Role: org.Reviewer, Password: password}, t0)
		if err != nil {
			return err
		}
		userID = u.ID
		d := org.Department{Name: "佛山市公安局南海分局", USCC: demo.USCC("440605", 77), RegionCode: "440605"}
		if err := org.CreateDepartment(ctx, tx, by, &d, t0); err != nil {
			return err
		}
		gaID = d.ID
		if _, gaKey, err = org.CreateApp(ctx, tx, by, org.NewApp{Name: "公安推送", DepartmentID: gaID, Scopes: []string{"records.write"}}, t0); err != nil {
			return err
		}
		archive := org.Department{Name: "佛山市南海区档案馆", USCC: demo.USCC("440605", 79), RegionCode: "440605"}
		if err := org.CreateDepartment(ctx, tx, by, &archive, t0); err != nil {
			return err
		}
		deptID = archive.ID
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	s := &fuzzServer{db: fx.db, h: fx.srv.Config.Handler, dept: itoa(deptID), user: itoa(userID)}
	s.sessions = map[string][]string{"admin": s.login(tb, "mz.admin"), "op": s.login(tb, "nh.op"), "self": s.login(tb, "fz.self"),
		"ga": {"Authorization", "Bearer " + gaKey}}
	if err := fx.db.Read().QueryRowContext(ctx, `SELECT password_hash FROM users WHERE username = 'fz.self'`).Scan(&s.selfHash); err != nil {
		tb.Fatal(err)
	}
	admin, op := s.sessions["admin"], s.sessions["op"]
	var created struct {
		ID  json.Number `json:"id"`
		App struct {
			ID json.Number `json:"id"`
		} `json:"app"`
		Items         []struct{ ID json.Number } `json:"items"`
		Discrepancies []struct{ ID json.Number } `json:"discrepancies"`
	}
	step := func(method, path, body string, hdr []string) {
		tb.Helper()
		st, b := s.call(method, path, []byte(body), hdr)
		if st >= 300 {
			tb.Fatalf("%s %s: %d %s", method, path, st, b)
		}
		json.Unmarshal(b, &created)
	}
	step("POST", "/api/v1/catalog/entries", marriageEntry, admin)
	s.entry = created.ID.String()
	step("POST", "/api/v1/catalog/entries/"+s.entry+"/submit", "", admin)
	step("POST", "/api/v1/catalog/entries/"+s.entry+"/approve", "", op)
	// A subject whose name differs between 公安's and 民政's records.
	catalogBy := func(dept int64) catalog.Actor {
		return catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test", DepartmentID: dept}, Editor: true}
	}
	opBy := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test-op", Name: "test", DepartmentID: fx.deptID}, Operator: true}
	var ids [2]int64
	for i, e := range []struct {
		dept int64
		r    catalog.Resource
	}{
		{gaID, personResource("居住登记信息", "01", "公安", "002", "流动人口管理", "18", "daily", "公民身份号码*:C18;姓名:C50")},
		{fx.otherID, personResource("低保对象信息", "03", "民政", "002", "社会救助", "03", "monthly", "公民身份号码*:C18;姓名:C50")},
	} {
		if ids[i], err = demo.PublishEntry(ctx, fx.db, catalogBy(e.dept), opBy, e.r, t0.Add(time.Duration(i-2)*time.Hour)); err != nil {
			tb.Fatal(err)
		}
	}
	if ids[0] != 2 {
		tb.Fatalf("公安's entry is %d, bodySeeds name entry 2", ids[0])
	}
	s.gaEntry = itoa(ids[0])
	subject, now := recordstest.CitizenID(5151), beijing(t0)
	step("POST", "/api/v1/records/entries/"+itoa(ids[0])+"/ops", opLine("add", subject, now, map[string]string{"姓名": "张三"}),
		[]string{"Authorization", "Bearer " + gaKey})
	step("POST", "/api/v1/records/entries/"+itoa(ids[1])+"/ops", opLine("add", subject, now, map[string]string{"姓名": "张叁"}), admin)
	created.Discrepancies = nil
	step("GET", "/api/v1/records/discrepancies?purpose=核验", "", op)
	if len(created.Discrepancies) != 1 {
		tb.Fatalf("discrepancies: %+v, want one", created.Discrepancies)
	}
	s.discrepancy = created.Discrepancies[0].ID.String()
	step("POST", "/api/v1/catalog/entries", strings.NewReplacer("婚姻登记信息", "收养登记信息", "男方姓名", "姓名").Replace(marriageEntry), admin)
	s.review = created.ID.String()
	s.submitReview(tb)
	step("POST", "/api/v1/apps", `{"name":"婚姻登记系统","scopes":["catalog.read"]}`, admin)
	s.app = created.App.ID.String()
	s.publishRetiree(tb)

	return s
}

// publishRetiree publishes a new entry of the administrator's department
// as {retiree}.
func (s *fuzzServer) publishRetiree(tb testing.TB) {
	tb.Helper()
	s.retirees++
	body := strings.Replace(marriageEntry, "婚姻登记信息", fmt.Sprintf("待注销资源%d", s.retirees), 1)
	st, b := s.call("POST", "/api/v1/catalog/entries", []byte(body), s.sessions["admin"])
	var created struct {
		ID json.Number `json:"id"`
	}
	if err := json.Unmarshal(b, &created); st != 201 && st != 200 || err != nil {
		tb.Fatalf("create the entry to retire: %d %s", st, b)
	}
	path := "/api/v1/catalog/entries/" + created.ID.String()
	for _, step := range []struct{ action, caller string }{{"submit", "admin"}, {"approve", "op"}} {
		if st, b := s.call("POST", path+"/"+step.action, nil, s.sessions[step.caller]); st != 200 {
			tb.Fatalf("%s %s: %d %s", step.action, path, st, b)
		}
	}
	s.retiree = created.ID.String()
}

// path is a route's path of bodyRoutes with the ids of s in place.
func (s *fuzzServer) path(route string) string {
	return strings.NewReplacer("{entry}", s.entry, "{review}", s.review, "{conflict}", s.conflict,
		"{discrepancy}", s.discrepancy, "{app}", s.app, "{retiree}", s.retiree, "{dept}", s.dept, "{user}", s.user,
		"{gaentry}", s.gaEntry).Replace(route)
}

// submitReview submits {review} and reads the id of its first source
// conflict (its 姓名 is 公安's).
func (s *fuzzServer) submitReview(tb testing.TB) {
	tb.Helper()
	path := "/api/v1/catalog/entries/" + s.review
	if st, b := s.call("POST", path+"/submit", nil, s.sessions["admin"]); st != 200 {
		tb.Fatalf("submit %s: %d %s", path, st, b)
	}
	st, b := s.call("GET", path+"/conflicts", nil, s.sessions["op"])
	var out struct {
		Items []struct{ ID json.Number } `json:"items"`
	}
	if err := json.Unmarshal(b, &out); st != 200 || err != nil || len(out.Items) == 0 {
		tb.Fatalf("conflicts of %s: %d %s, want one at least", path, st, b)
	}
	s.conflict = out.Items[0].ID.String()
}

// restore puts back, before an input to the route of path, what an earlier
// input may have changed: {review} submitted, {discrepancy} open, the
// throwaway account's password, and no account locked out by wrong
// passwords (the clock stands still, so a lock-out would never end).
func (s *fuzzServer) restore(tb testing.TB, path string) {
	tb.Helper()
	ctx := context.Background()
	exec := func(query string, args ...any) error {
		return s.db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := tx.ExecContext(ctx, query, args...)
			return err
		})
	}
	var err error
	switch {
	case strings.Contains(path, "{review}"):
		var status string
		if err = s.db.Read().QueryRowContext(ctx, `SELECT status FROM catalog_entries WHERE id = $1`, s.review).Scan(&status); err == nil && status != "submitted" {
			s.submitReview(tb)
		}
	case strings.Contains(path, "{retiree}"):
		var status string
		if err = s.db.Read().QueryRowContext(ctx, `SELECT status FROM catalog_entries WHERE id = $1`, s.retiree).Scan(&status); err == nil && status != "published" {
			s.publishRetiree(tb)
		}
	case strings.Contains(path, "{discrepancy}"):
		err = exec(`UPDATE record_discrepancies SET status = 'open', authoritative_entry_id = NULL, resolution = '',
			resolved_by = '', resolved_at = NULL WHERE id = $1 AND status <> 'open'`, s.discrepancy)
	case path == "/api/v1/me/password":
		if err = exec(`UPDATE users SET password_hash = $1 WHERE username = 'fz.self'`, s.selfHash); err == nil {
			err = exec(`DELETE FROM login_failures`)
		}
	case path == "/api/v1/auth/login":
		err = exec(`DELETE FROM login_failures`)
	}
	if err != nil {
		tb.Fatal(err)
	}
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
// seeded database as FuzzRequestBodies: no 5xx whatever the query, a
// refusal is a problem with a stable code, a Chinese title and a Chinese
// message, and the route's operation documents the status and the code
// (undocumentedAnswer).
func FuzzQueryStrings(f *testing.F) {
	for i, rt := range queryRoutes {
		for _, q := range []string{rt.seed, "", "limit=-1", "from=9999-12-31T23:59:59Z&days=3650", "q=%ff", "since=0000-01-01T00:00:00%2B14:00"} {
			f.Add(uint8(i), q)
		}
	}
	s := newFuzzServer(f)
	doc, err := api.OpenAPIDocument()
	if err != nil {
		f.Fatal(err)
	}
	docPath := routeDocPath()
	f.Fuzz(func(t *testing.T, route uint8, query string) {
		rt := queryRoutes[int(route)%len(queryRoutes)]
		path := strings.NewReplacer("{entry}", s.entry).Replace(rt.path)
		if _, err := url.ParseRequestURI(path + "?" + query); err != nil || strings.ContainsAny(query, "# ") {
			return // not a query string a client can send
		}
		st, p := s.do("GET", path+"?"+query, nil, s.sessions["op"])
		if st >= 500 || st >= 400 && (p.Code == "" || !strings.ContainsFunc(p.Title, isHan) || !strings.ContainsFunc(p.Detail, isHan)) {
			t.Fatalf("GET %s?%s: %d %+v, want a 2xx, or a 4xx with a code and a Chinese title and message", path, query, st, p)
		}
		if msg := undocumentedAnswer(t, doc, "GET", docPath("GET", path), st, p.Code); msg != "" {
			t.Fatalf("?%s: %s", query, msg)
		}
	})
}
