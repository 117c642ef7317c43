package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/api"
	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/org/orgtest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

func TestMain(m *testing.M) { os.Exit(sqldbtest.Main(m)) }

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

const password = "Correct-Horse-9"

// fixture is an API over a seeded database: a department with an operator
// and a reviewer, and a second department with an app.
type fixture struct {
	db         *sqldb.DB
	srv        *httptest.Server
	deptID     int64
	otherID    int64
	opKey      string // key of an app with scope admin
	readKey    string // key of an app with scope catalog.read only
	otherAppID int64
}

func newFixture(t testing.TB, db *sqldb.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{db: db}
	by := audit.Actor{Kind: audit.ActorSystem, ID: "test"}
	err := db.Tx(ctx, func(tx *sqldb.Tx) error {
		for _, r := range []org.Region{{Code: "440000", Name: "广东省", Level: org.Province},
			{Code: "440605", Name: "南海区", Level: org.District, ParentCode: "440000"}} {
			if err := org.CreateRegion(ctx, tx, by, &r, t0); err != nil {
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
		f.deptID, f.otherID = d.ID, o.ID
		for _, u := range []org.NewUser{
			{Username: "nh.op", DisplayName: "主管", DepartmentID: d.ID, Role: org.Operator, Password: password},
			{Username: "mz.admin", DisplayName: "民政管理员", DepartmentID: o.ID, Role: org.DeptAdmin, Password: password},
			{Username: "mz.reviewer", DisplayName: "民政审核员", DepartmentID: o.ID, Role: org.Reviewer, Password: password},
		} {
			if _, err := orgtest.CreateUser(ctx, tx, by, u, t0); err != nil {
				return err
			}
		}
		var err error
		if _, f.opKey, err = org.CreateApp(ctx, tx, by, org.NewApp{Name: "运维", DepartmentID: d.ID, Scopes: []string{"admin audit.read"}}, t0); err != nil {
			return err
		}
		var app org.App
		app, f.readKey, err = org.CreateApp(ctx, tx, by, org.NewApp{Name: "查询", DepartmentID: o.ID, Scopes: []string{"catalog.read"}}, t0)
		f.otherAppID = app.ID
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	f.serve(t, slog.New(slog.NewTextHandler(io.Discard, nil)))
	return f
}

// serve has the fixture's requests answered by a new server of its
// database that logs to log, its clock at t0.
func (f *fixture) serve(t testing.TB, log *slog.Logger) {
	now := func() time.Time { return t0 }
	authn := &auth.Authenticator{DB: f.db, Log: log, Now: now}
	a := &api.API{DB: f.db, Log: log, Now: now, Auth: authn, Calendar: calendar.Default()}
	mux := http.NewServeMux()
	a.Register(mux)
	f.srv = httptest.NewServer(authn.Middleware(a.Error)(mux))
	t.Cleanup(f.srv.Close)
}

type response struct {
	status int
	header http.Header
	body   map[string]any
}

func (f *fixture) do(t *testing.T, method, path, key, body string, hdr ...string) response {
	t.Helper()
	resp, b, _ := f.send(t, method, path, key, body, hdr...)
	r := response{status: resp.StatusCode, header: resp.Header}
	if len(b) > 0 && resp.Header.Get("Content-Type") != "text/plain" {
		json.Unmarshal(b, &r.body)
	}
	return r
}

// send sends a request of method to path, with body as JSON unless it is
// empty, key as a bearer token unless it is empty and hdr's name and value
// pairs as headers, and answers the response and its body, read whole and
// closed; err is the reading's.
func (f *fixture) send(t *testing.T, method, path, key, body string, hdr ...string) (resp *http.Response, b []byte, err error) {
	t.Helper()
	req, err := http.NewRequest(method, f.srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err = io.ReadAll(resp.Body)
	return resp, b, err
}

func (f *fixture) count(t *testing.T, table string) int {
	t.Helper()
	var n int
	if err := f.db.Read().QueryRowContext(context.Background(), `SELECT count(*) FROM `+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestScenarios(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		dept := `{"name":"南海区卫生健康局","uscc":"` + demo.USCC("440605", 99) + `","region_code":"440605"}`
		tests := []struct {
			name, method, path, key, body string
			status                        int
			code                          string
		}{
			{"openapi is public", "GET", "/api/v1/openapi.json", "", "", 200, ""},
			{"no credentials", "GET", "/api/v1/departments", "", "", 401, "unauthenticated"},
			{"unknown key", "GET", "/api/v1/departments", "htk_000000000000_nope", "", 401, "invalid_api_key"},
			{"malformed authorization", "GET", "/api/v1/me", "", "", 401, "unauthenticated"},
			{"read with key", "GET", "/api/v1/departments", f.readKey, "", 200, ""},
			{"missing scope", "POST", "/api/v1/departments", f.readKey, dept, 403, "forbidden"},
			{"malformed json", "POST", "/api/v1/departments", f.opKey, `{"name":`, 400, "malformed_json"},
			{"unknown field", "POST", "/api/v1/departments", f.opKey, `{"nom":"x"}`, 400, "unknown_field"},
			{"wrong type", "POST", "/api/v1/departments", f.opKey, `{"name":1}`, 400, "invalid_type"},
			{"two objects", "POST", "/api/v1/departments", f.opKey, `{} {}`, 400, "malformed_json"},
			{"empty body", "POST", "/api/v1/departments", f.opKey, ``, 400, "empty_body"},
			{"invalid credit code", "POST", "/api/v1/departments", f.opKey, `{"name":"某局","uscc":"91350100M000100Y4Z","region_code":"440605"}`, 400, "invalid_uscc"},
			{"duplicate credit code", "POST", "/api/v1/departments", f.opKey, `{"name":"某局","uscc":"91350100M000100Y43","region_code":"440605"}`, 409, "department_exists"},
			{"credit code with a wrong check digit", "POST", "/api/v1/departments", f.opKey, `{"name":"某早期登记单位","uscc":"91350100M000100Y44","region_code":"440605"}`, 201, ""},
			{"unknown route", "GET", "/api/v1/nothing", f.opKey, "", 404, "route_not_found"},
			{"unknown route with a body", "POST", "/api/v1/nothing", f.opKey, "{}", 404, "route_not_found"},
			{"wrong method", "DELETE", "/api/v1/departments", f.opKey, "", 405, "method_not_allowed"},
			{"wrong method on a wildcard path", "PUT", "/api/v1/apps/1/rotate", "", "{}", 405, "method_not_allowed"},
			{"bad id", "GET", "/api/v1/departments/abc", f.opKey, "", 404, "not_found"},
			{"missing department", "GET", "/api/v1/departments/999", f.opKey, "", 404, "department_not_found"},
			{"create department", "POST", "/api/v1/departments", f.opKey, dept, 201, ""},
			{"weak password", "POST", "/api/v1/users", f.opKey, `{"username":"x.y","display_name":"某","department_id":1,"role":"reviewer","password":"short"}`, 400, "weak_password"},
			{"ident valid", "GET", "/api/v1/ident/11010519491231002X", f.readKey, "", 200, ""},
			{"deadline bad days", "GET", "/api/v1/calendar/deadline?days=x", f.readKey, "", 400, "invalid_days"},
			{"deadline after year 9999", "GET", "/api/v1/calendar/deadline?from=9999-12-31T23:59:59Z&days=1", f.readKey, "", 400, "invalid_time"},
			{"deadline before year 0", "GET", "/api/v1/calendar/deadline?from=0000-01-01T00:00:00%2B14:00&days=0", f.readKey, "", 400, "invalid_time"},
			{"deadline in year 9999", "GET", "/api/v1/calendar/deadline?from=9999-12-01&days=3", f.readKey, "", 200, ""},
			{"audit needs scope", "GET", "/api/v1/audit", f.readKey, "", 403, "forbidden"},
			{"foreign app", "GET", "/api/v1/apps/1", f.readKey, "", 403, "forbidden"},
		}
		for _, tt := range tests {
			key := tt.key
			var hdr []string
			if tt.name == "malformed authorization" {
				hdr = []string{"Authorization", "Basic abc"}
			}
			r := f.do(t, tt.method, tt.path, key, tt.body, hdr...)
			if tt.name == "malformed authorization" {
				tt.code = "invalid_authorization"
			}
			if r.status != tt.status {
				t.Errorf("%s: got status %d (%v), want %d", tt.name, r.status, r.body, tt.status)
				continue
			}
			if allow := r.header.Get("Allow"); (tt.status == 405) != (allow != "") {
				t.Errorf("%s: got Allow %q with status %d", tt.name, allow, r.status)
			}
			// An enterprise's code of another region is told too (TestDepartmentCodeWarnings); the check digit only here.
			if w, _ := r.body["warnings"].([]any); (tt.name == "credit code with a wrong check digit") != (len(w) > 0 && w[0] == "校验码不符，应为 3") {
				t.Errorf("%s: got warnings %v", tt.name, r.body["warnings"])
			}
			if tt.code == "" {
				continue
			}
			if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("%s: got content type %q, want application/problem+json", tt.name, ct)
			}
			if r.body["code"] != tt.code {
				t.Errorf("%s: got code %v, want %s", tt.name, r.body["code"], tt.code)
			}
			if title, _ := r.body["title"].(string); title == "" || title[0] < 0x80 {
				t.Errorf("%s: title %q is not Chinese", tt.name, title)
			}
		}
		if n := f.count(t, "departments"); n != 4 {
			t.Errorf("got %d departments, want 4: refused requests must change nothing", n)
		}
		entries, _, err := audit.List(context.Background(), db.Read(), audit.Filter{Action: "auth.key", Outcome: audit.Denied})
		if err != nil || len(entries) != 1 || entries[0].ObjectID != "000000000000" {
			t.Errorf("unknown key use not audited once: %+v %v", entries, err)
		}
	})
}

// TestDeadlineCovered checks that a deadline says when a year it spans has
// no holiday arrangements, so that a caller does not take a count that knows
// only weekends and the holidays fixed in the solar calendar for the real one.
func TestDeadlineCovered(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		for _, tt := range []struct {
			query   string
			due     string
			covered bool
		}{
			{"from=2026-09-30&days=1", "2026-10-08", true},
			{"from=2026-12-30&days=1", "2026-12-31", true},
			{"from=2030-01-30&days=3", "2030-02-04", false},
			{"from=2026-12-30&days=5", "2027-01-07", false}, // 2027-01-01 is 元旦 by law
			{"from=2026-12-30&days=400", "", false},
		} {
			r := f.do(t, "GET", "/api/v1/calendar/deadline?"+tt.query, f.readKey, "")
			if r.status != 200 {
				t.Fatalf("%s: got %d %v", tt.query, r.status, r.body)
			}
			if r.body["covered"] != tt.covered || tt.due != "" && r.body["due_date"] != tt.due {
				t.Errorf("%s: got due %v covered %v, want %s %v", tt.query, r.body["due_date"], r.body["covered"], tt.due, tt.covered)
			}
		}
	})
}

func TestIdempotencyKey(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		body := `{"name":"南海区卫生健康局","uscc":"` + demo.USCC("440605", 99) + `","region_code":"440605"}`
		first := f.do(t, "POST", "/api/v1/departments", f.opKey, body, "Idempotency-Key", "k-1")
		again := f.do(t, "POST", "/api/v1/departments", f.opKey, body, "Idempotency-Key", "k-1")
		if first.status != 201 || again.status != 201 || again.header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("got %d then %d (replayed %q), want 201 twice, the second replayed", first.status, again.status, again.header.Get("Idempotent-Replayed"))
		}
		if first.body["id"] != again.body["id"] {
			t.Errorf("replay gave id %v, first %v", again.body["id"], first.body["id"])
		}
		other := f.do(t, "POST", "/api/v1/departments", f.opKey, strings.Replace(body, "卫生健康", "教育", 1), "Idempotency-Key", "k-1")
		if other.status != 409 || other.body["code"] != "idempotency_key_reused" {
			t.Errorf("same key, other body: got %d %v", other.status, other.body["code"])
		}
		if n := f.count(t, "departments"); n != 3 {
			t.Errorf("got %d departments, want 3", n)
		}
		// A refused request releases its key.
		bad := `{"name":"某局","uscc":"91350100M000100Y4Z","region_code":"440605"}`
		if r := f.do(t, "POST", "/api/v1/departments", f.opKey, bad, "Idempotency-Key", "k-2"); r.status != 400 {
			t.Fatalf("got %d, want 400", r.status)
		}
		good := `{"name":"某局","uscc":"` + demo.USCC("440605", 98) + `","region_code":"440605"}`
		if r := f.do(t, "POST", "/api/v1/departments", f.opKey, good, "Idempotency-Key", "k-2"); r.status != 201 {
			t.Errorf("corrected request with the key of a refused one: got %d %v, want 201", r.status, r.body["code"])
		}
	})
}

func TestSessionLoginAndCSRF(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		r := f.do(t, "POST", "/api/v1/auth/login", "", `{"username":"mz.admin","password":"`+password+`"}`)
		if r.status != 200 {
			t.Fatalf("login: got %d %v", r.status, r.body)
		}
		var cookie string
		for _, c := range strings.Split(r.header.Get("Set-Cookie"), ";") {
			if strings.HasPrefix(c, auth.SessionCookie+"=") {
				cookie = c
			}
		}
		if !strings.Contains(r.header.Get("Set-Cookie"), "HttpOnly") || cookie == "" {
			t.Fatalf("session cookie missing or not HttpOnly: %q", r.header.Get("Set-Cookie"))
		}
		csrf, _ := r.body["csrf_token"].(string)
		app := `{"name":"婚姻登记系统","scopes":["catalog.read"]}`
		if r := f.do(t, "POST", "/api/v1/apps", "", app, "Cookie", cookie); r.status != 403 || r.body["code"] != "csrf_failed" {
			t.Errorf("without CSRF token: got %d %v, want 403 csrf_failed", r.status, r.body["code"])
		}
		r = f.do(t, "POST", "/api/v1/apps", "", app, "Cookie", cookie, auth.CSRFHeader, csrf)
		if r.status != 201 || !strings.HasPrefix(r.body["api_key"].(string), "htk_") {
			t.Fatalf("create app: got %d %v", r.status, r.body)
		}
		if r := f.do(t, "GET", "/api/v1/me", "", "", "Cookie", cookie); r.status != 200 || r.body["user"] == nil {
			t.Errorf("me: got %d %v", r.status, r.body)
		}
		// A department admin manages only its own department's apps.
		if r := f.do(t, "POST", "/api/v1/apps", "", `{"name":"x","department_id":1,"scopes":["catalog.read"]}`, "Cookie", cookie, auth.CSRFHeader, csrf); r.status != 403 {
			t.Errorf("app for another department: got %d", r.status)
		}
		if r := f.do(t, "POST", "/api/v1/auth/logout", "", "", "Cookie", cookie, auth.CSRFHeader, csrf); r.status != 204 {
			t.Errorf("logout: got %d", r.status)
		}
		if r := f.do(t, "GET", "/api/v1/me", "", "", "Cookie", cookie); r.status != 401 {
			t.Errorf("after logout: got %d, want 401", r.status)
		}
		if r := f.do(t, "POST", "/api/v1/auth/login", "", `{"username":"mz.admin","password":"nope"}`); r.status != 401 || r.body["code"] != "invalid_credentials" {
			t.Errorf("wrong password: got %d %v", r.status, r.body["code"])
		}
	})
}

func TestAppKeyLifecycle(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		path := "/api/v1/apps/" + itoa(f.otherAppID)
		r := f.do(t, "POST", path+"/rotate", f.opKey, `{"grace_hours":0}`)
		if r.status != 201 {
			t.Fatalf("rotate: got %d %v", r.status, r.body)
		}
		newKey := r.body["api_key"].(string)
		if r := f.do(t, "GET", "/api/v1/departments", f.readKey, ""); r.status != 401 {
			t.Errorf("old key after rotation without grace: got %d, want 401", r.status)
		}
		if r := f.do(t, "GET", "/api/v1/departments", newKey, ""); r.status != 200 {
			t.Errorf("new key: got %d", r.status)
		}
		keyID := strings.Split(newKey, "_")[1]
		if r := f.do(t, "DELETE", path+"/keys/"+keyID, f.opKey, ""); r.status != 204 {
			t.Errorf("revoke key: got %d %v", r.status, r.body)
		}
		if r := f.do(t, "GET", "/api/v1/departments", newKey, ""); r.status != 401 {
			t.Errorf("revoked key: got %d", r.status)
		}
		if r := f.do(t, "GET", "/api/v1/audit/verify", f.opKey, ""); r.status != 200 || r.body["intact"] != true {
			t.Errorf("audit verify: got %d %v", r.status, r.body)
		}
	})
}

// TestGrantOnlyOwnScopes: a department administrator cannot give an app,
// new or rotated, a scope the role lacks (admin would make it an operator).
func TestGrantOnlyOwnScopes(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin := f.session(t, "mz.admin")
		for _, scopes := range []string{`["admin"]`, `["data.read","audit.read"]`, `["catalog.read,admin"]`, `["catalog.read audit.read"]`} {
			r := f.do(t, "POST", "/api/v1/apps", "", `{"name":"越权","scopes":`+scopes+`}`, admin...)
			if r.status != 403 || r.body["code"] != "scope_not_grantable" {
				t.Errorf("administrator grants %s: %d %v", scopes, r.status, r.body)
			}
		}
		if r := f.do(t, "POST", "/api/v1/apps", "", `{"name":"核验","scopes":["data.read"]}`, admin...); r.status != 201 {
			t.Errorf("administrator grants data.read: %d %v", r.status, r.body)
		}
		r := f.do(t, "POST", "/api/v1/apps", f.opKey, `{"name":"审计","department_id":`+itoa(f.otherID)+`,"scopes":["catalog.read"]}`)
		if r.status != 201 {
			t.Fatalf("operator creates an app: %d %v", r.status, r.body)
		}
		id := jsonNumber(r.body["app"].(map[string]any)["id"])
		// audit.read, as a version before scope_platform_only stored it.
		if _, err := db.Write().ExecContext(context.Background(), `UPDATE apps SET scopes = 'audit.read' WHERE id = `+id); err != nil {
			t.Fatal(err)
		}
		r = f.do(t, "POST", "/api/v1/apps/"+id+"/rotate", "", `{"grace_hours":0}`, admin...)
		if r.status != 403 || r.body["api_key"] != nil {
			t.Errorf("administrator rotates an audit app: %d %v", r.status, r.body)
		}
		if n := f.count(t, "apps"); n != 4 {
			t.Errorf("apps = %d, want 4", n)
		}
	})
}

// TestInvalidTextRefused: bytes PostgreSQL cannot store (NUL, invalid
// UTF-8) in a path, a query parameter or an Idempotency-Key are a 400 on
// both engines, before they reach a query.
func TestInvalidTextRefused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		for _, path := range []string{"/api/v1/public/catalog/%FF%FE", "/api/v1/audit?subject_id=%FF%FE",
			"/api/v1/audit?subject_id=a%00b", "/api/v1/records/discrepancies?subject_id=%FF",
			"/api/v1/departments?q=a%00b", "/api/v1/users?q=%FF", "/api/v1/apps?q=a%00b"} {
			wantInvalid(t, "GET "+path, f.do(t, "GET", path, f.opKey, ""), "invalid_text")
		}
		wantInvalid(t, "Idempotency-Key of invalid UTF-8", f.do(t, "POST", "/api/v1/regions", f.opKey,
			`{"code":"440606","name":"顺德区","level":"county"}`, "Idempotency-Key", "k\xff\xfe"), "invalid_idempotency_key")
		op := f.session(t, "nh.op")
		wantInvalid(t, "discrepancies of an unknown status", f.do(t, "GET", "/api/v1/records/discrepancies?status=opne", "", "", op...), "invalid_status")
	})
}

// wantInvalid fails t unless r, the answer to what, is a 400 of the given code.
func wantInvalid(t *testing.T, what string, r response, code string) {
	t.Helper()
	if r.status != 400 || r.body["code"] != code {
		t.Errorf("%s: %d %v", what, r.status, r.body)
	}
}

// TestRegistrationRefusedUnread: a caller who may not import a
// registration document is refused before its body is read: the body here
// never ends.
func TestRegistrationRefusedUnread(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin := f.session(t, "mz.admin")
		pr, pw := io.Pipe()
		defer pw.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, "POST", f.srv.URL+"/api/v1/catalog/registration", pr)
		if err != nil {
			t.Fatal(err)
		}
		req.ContentLength = 30 << 20
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", "reg-1")
		for i := 0; i+1 < len(admin); i += 2 {
			req.Header.Set(admin[i], admin[i+1])
		}
		go io.WriteString(pw, `{"format":`)
		context.AfterFunc(ctx, func() { pw.CloseWithError(ctx.Err()) })
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("registration by a department administrator: %v", err)
		}
		resp.Body.Close()
		if resp.StatusCode != 403 {
			t.Errorf("registration by a department administrator: %d, want 403", resp.StatusCode)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestOpenAPIMatchesRoutes keeps the OpenAPI document equal to the routes:
// every route is described and every described operation exists. A route
// whose last wildcard takes the rest of the path ({code...}) is described
// with {code}, whose description says it may hold a slash.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	doc, err := api.OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	var described []string
	for path, item := range doc["paths"].(map[string]any) {
		for method := range item.(map[string]any) {
			switch method {
			case "get", "post", "put", "patch", "delete":
				described = append(described, strings.ToUpper(method)+" "+path)
			}
		}
	}
	a := &api.API{}
	a.Register(http.NewServeMux())
	var routes []string
	for _, rt := range a.Routes() {
		routes = append(routes, rt.Method+" "+rt.DocPath())
		if rt.DocPath() == rt.Path {
			continue
		}
		op := docOperation(doc, rt.Method, rt.DocPath())
		params, _ := op["parameters"].([]any)
		name := rt.Path[strings.LastIndex(rt.Path, "{")+1 : len(rt.Path)-len("...}")]
		if !slices.ContainsFunc(params, func(p any) bool {
			m, _ := p.(map[string]any)
			desc, _ := m["description"].(string)
			return m["name"] == name && m["in"] == "path" && strings.Contains(desc, "slash")
		}) {
			t.Errorf("%s %s: path parameter %s does not say it may hold a slash: %v", rt.Method, rt.DocPath(), name, params)
		}
	}
	slices.Sort(described)
	slices.Sort(routes)
	for _, r := range routes {
		if _, found := slices.BinarySearch(described, r); !found {
			t.Errorf("route %s is not in the OpenAPI document", r)
		}
	}
	for _, d := range described {
		if _, found := slices.BinarySearch(routes, d); !found {
			t.Errorf("OpenAPI describes %s, which is not a route", d)
		}
	}
}

// TestRouteScopesDescribed: a caller refused for lacking a route's scope is
// told what the scope allows (org.Scopes), so every route's scope has its
// description.
func TestRouteScopesDescribed(t *testing.T) {
	a := &api.API{}
	a.Register(http.NewServeMux())
	for _, rt := range a.Routes() {
		if rt.Scope != "" && org.Scopes[rt.Scope] == "" {
			t.Errorf("%s %s: scope %q has no description in org.Scopes", rt.Method, rt.Path, rt.Scope)
		}
	}
}

// TestIdempotencyKeyConcurrent sends one creating request many times at
// once: exactly one department is created and every answer is the same.
func TestIdempotencyKeyConcurrent(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		body := `{"name":"南海区教育局","uscc":"` + demo.USCC("440605", 97) + `","region_code":"440605"}`
		var wg sync.WaitGroup
		results := make([]response, 8)
		for i := range results {
			wg.Go(func() { results[i] = f.do(t, "POST", "/api/v1/departments", f.opKey, body, "Idempotency-Key", "same") })
		}
		wg.Wait()
		for i, r := range results {
			if r.status != 201 || r.body["id"] != results[0].body["id"] {
				t.Errorf("request %d: got %d %v, want 201 with id %v", i, r.status, r.body, results[0].body["id"])
			}
		}
		if n := f.count(t, "departments"); n != 3 {
			t.Errorf("got %d departments, want 3", n)
		}
	})
}

// TestBodyLimitOfRoute: a JSON route takes at most MaxJSONBody and only
// JSON, whatever the client declares, with or without an Idempotency-Key.
func TestBodyLimitOfRoute(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		big := `{"name":"` + strings.Repeat("局", api.MaxJSONBody/3) + `"}`
		for _, tt := range []struct {
			name, ctype string
			status      int
			code, body  string
		}{
			{"JSON over the limit", "application/json", 413, "body_too_large", big},
			{"upload type on a JSON route", "application/octet-stream", 400, "unsupported_media_type", `{"name":"某局"}`},
			{"CSV on a JSON route", "text/csv", 400, "unsupported_media_type", "name\n某局\n"},
		} {
			for _, key := range []string{"", "k-" + tt.ctype} {
				r := f.do(t, "POST", "/api/v1/departments", f.opKey, tt.body, "Content-Type", tt.ctype, "Idempotency-Key", key)
				if r.status != tt.status || r.body["code"] != tt.code {
					t.Errorf("%s (Idempotency-Key %q): got %d %v, want %d %s", tt.name, key, r.status, r.body, tt.status, tt.code)
				}
			}
		}
		if n := f.count(t, "idempotency_keys"); n != 0 {
			t.Errorf("refused requests stored %d idempotency keys", n)
		}
	})
}

// TestJSONEncodesFirst: a value that cannot be encoded is an error before
// anything is written, so that it is answered as one (not as a 200 with a
// problem document after it).
func TestJSONEncodesFirst(t *testing.T) {
	rec := httptest.NewRecorder()
	err := api.JSON(rec, http.StatusOK, map[string]any{"due": time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err == nil || rec.Body.Len() != 0 || rec.Header().Get("Content-Type") != "" {
		t.Errorf("JSON of an unencodable value: err %v, wrote %q with header %v", err, rec.Body, rec.Header())
	}
}

// TestMethodNotAllowed: a path that exists under other methods answers 405
// with the methods it takes.
func TestMethodNotAllowed(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		for path, allow := range map[string]string{"/api/v1/departments": "GET, HEAD, POST", "/api/v1/apps/7": "GET, HEAD",
			"/api/v1/catalog/entries/7": "GET, HEAD, PUT, DELETE", "/api/v1/apps/7/keys/abc": "DELETE"} {
			r := f.do(t, "PATCH", path, f.opKey, "")
			if r.status != 405 || r.header.Get("Allow") != allow || r.body["code"] != "method_not_allowed" {
				t.Errorf("PATCH %s: got %d Allow %q %v, want 405 Allow %q", path, r.status, r.header.Get("Allow"), r.body, allow)
			}
		}
	})
}

// TestOpenAPIDocumentsSharedErrors: every operation documents the errors
// the adapter and the server answer for it whatever it does: 401 where the
// caller must be authenticated; 403 where a scope is needed or the method
// is unsafe (CSRF token, cross-site browser request); 413 and 415 (a
// compressed body) everywhere, for the adapter holds every body to its
// limit and refuses an encoded one, a GET's or a DELETE's too; 503
// everywhere: starting while the server starts, whatever the path, and
// audit_unavailable or database_unavailable wherever the audit log is
// written or a credential checked; 400 everywhere, naming invalid_query,
// invalid_text, unknown_parameter and, where the route takes parameters,
// repeated_parameter. Every response it refers to exists.
func TestOpenAPIDocumentsSharedErrors(t *testing.T) {
	doc, err := api.OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	shared := doc["components"].(map[string]any)["responses"].(map[string]any)
	a := &api.API{}
	a.Register(http.NewServeMux())
	for _, rt := range a.Routes() {
		op := docOperation(doc, rt.Method, rt.DocPath())
		if op == nil {
			t.Errorf("%s %s is not in the OpenAPI document", rt.Method, rt.DocPath())
			continue
		}
		responses, _ := op["responses"].(map[string]any)
		unsafe := rt.Method != http.MethodGet
		for code, want := range map[string]bool{"401": !rt.Public, "403": rt.Scope != "" || unsafe,
			"413": true, "415": true, "503": true} {
			if want && responses[code] == nil {
				t.Errorf("%s %s does not document %s", rt.Method, rt.Path, code)
			}
		}
		// Before the handler, a query holding a semicolon or a malformed
		// percent-escape is refused (before authentication, on every
		// path), and the adapter refuses a path or query that is not
		// UTF-8 or holds NUL, a query parameter the route does not take
		// and one it takes given twice.
		refused := []string{"invalid_query", "invalid_text", "unknown_parameter"}
		if len(rt.Query) > 0 {
			refused = append(refused, "repeated_parameter")
		}
		for _, code := range refused {
			if msg := undocumentedAnswer(t, doc, rt.Method, rt.DocPath(), 400, code); msg != "" {
				t.Error(msg)
			}
		}
		for code, r := range responses {
			ref, _ := r.(map[string]any)["$ref"].(string)
			if name, ok := strings.CutPrefix(ref, "#/components/responses/"); ok && shared[name] == nil {
				t.Errorf("%s %s: %s refers to %s, which does not exist", rt.Method, rt.Path, code, ref)
			}
		}
	}
}
