package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/api"
	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/org/orgtest"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// routeCall is one request to a route that succeeds while the audit log
// can be written.
type routeCall struct {
	route     string // "METHOD pattern", as registered
	method    string
	path      string
	key, body string
	hdr       []string
	status    int
	audited   bool // it writes an audit row, so it must fail closed
}

// TestFailClosedEveryRoute: every route of the API is called while the
// audit log cannot be written. Each one that writes an audit row — a read
// of personal data, a change — is refused with 503 audit_unavailable and
// changes nothing; every other one is served as usual. Once the log can
// be written again, every call succeeds, the audited ones leaving their
// rows and the others none. The calls are kept against a.Routes(): a
// route without a call fails the test, so a new route is classified when
// it is added.
func TestFailClosedEveryRoute(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		calls := failClosedCalls(t, rf, db)

		a := &api.API{}
		a.Register(http.NewServeMux())
		called := map[string]bool{}
		for _, c := range calls {
			called[c.route] = true
		}
		for _, rt := range a.Routes() {
			if !called[rt.Method+" "+rt.Path] {
				t.Errorf("%s %s: no fail-closed call: add one to failClosedCalls, audited or not", rt.Method, rt.Path)
			}
			delete(called, rt.Method+" "+rt.Path)
		}
		for r := range called {
			t.Errorf("failClosedCalls calls %s, which is no route", r)
		}
		doc, err := api.OpenAPIDocument()
		if err != nil {
			t.Fatal(err)
		}
		for _, rt := range a.Routes() {
			op := docOperation(doc, rt.Method, rt.DocPath())
			responses, _ := op["responses"].(map[string]any)
			_, documented := responses["503"]
			for _, c := range calls {
				if c.route == rt.Method+" "+rt.Path && c.audited && !documented {
					t.Errorf("%s %s fails closed, but its OpenAPI operation lists no 503", rt.Method, rt.Path)
					break
				}
			}
		}

		changed := func() string {
			return fmt.Sprint(rf.countWhere(t, `SELECT count(*) FROM audit_log`), rf.countWhere(t, `SELECT count(*) FROM record_versions`),
				rf.countWhere(t, `SELECT count(*) FROM catalog_entries`), rf.countWhere(t, `SELECT count(*) FROM users`),
				rf.countWhere(t, `SELECT count(*) FROM apps`), rf.countWhere(t, `SELECT count(*) FROM record_batches`),
				rf.countWhere(t, `SELECT count(*) FROM departments WHERE name LIKE '%（更名）'`))
		}
		// Every answer, refusal or not, is one the route's operation
		// documents.
		docPath := routeDocPath()
		documented := func(c routeCall, r response) {
			t.Helper()
			if msg := undocumentedAnswer(t, doc, c.method, docPath(c.method, c.path), r.status, textOf(r.body["code"])); msg != "" {
				t.Error(msg)
			}
		}
		before := changed()
		unblock := sqldbtest.BlockAudit(t, db)
		for _, c := range calls {
			r := rf.do(t, c.method, c.path, c.key, c.body, c.hdr...)
			documented(c, r)
			switch {
			case c.audited && (r.status != 503 || r.body["code"] != "audit_unavailable"):
				t.Errorf("%s %s with the audit log down: got %d %v, want 503 audit_unavailable", c.method, c.path, r.status, r.body)
			case !c.audited && r.status != c.status:
				t.Errorf("%s %s with the audit log down: got %d %v, want %d (it writes no audit row)", c.method, c.path, r.status, r.body, c.status)
			}
		}
		if after := changed(); after != before {
			t.Errorf("calls refused with the audit log down changed rows (audit, versions, entries, users, apps, batches, renamed departments): %s, want %s", after, before)
		}

		unblock()
		for _, c := range calls {
			rows := rf.countWhere(t, `SELECT count(*) FROM audit_log`)
			r := rf.do(t, c.method, c.path, c.key, c.body, c.hdr...)
			documented(c, r)
			if r.status != c.status {
				t.Errorf("%s %s after recovery: got %d %v, want %d", c.method, c.path, r.status, r.body, c.status)
				continue
			}
			switch got := rf.countWhere(t, `SELECT count(*) FROM audit_log`); {
			case c.audited && got == rows:
				t.Errorf("%s %s after recovery left no audit row", c.method, c.path)
			case !c.audited && got != rows:
				t.Errorf("%s %s left %d audit rows: mark it audited", c.method, c.path, got-rows)
			}
		}
		if rep, err := audit.Verify(context.Background(), db.Read()); err != nil || rep.Problem != nil {
			t.Errorf("audit chain after recovery: %v %+v", err, rep.Problem)
		}
	})
}

// failClosedCalls prepares an object in the state each call needs and
// returns the calls, one or more per route.
func failClosedCalls(t *testing.T, rf *recordsFixture, db *sqldb.DB) []routeCall {
	t.Helper()
	ctx := context.Background()
	ok := func(what string, r response, status int) response {
		t.Helper()
		if r.status != status {
			t.Fatalf("%s: got %d %v, want %d", what, r.status, r.body, status)
		}
		return r
	}
	op, admin := rf.session(t, "nh.op"), rf.session(t, "mz.admin")
	leaving := rf.session(t, "mz.reviewer")
	by := audit.Actor{Kind: audit.ActorSystem, ID: "test"}
	users := map[string]int64{}
	var depts []int64 // one to disable, one disabled to enable
	err := db.Tx(ctx, func(tx *sqldb.Tx) error {
		for _, name := range []string{"fc.disable", "fc.enable", "fc.reset", "fc.self"} {
			u, err := orgtest.CreateUser(ctx, tx, by, org.NewUser{Username: name, DisplayName: name, DepartmentID: rf.mzID,
				Role: org.Reviewer, Password: password}, t0)
			if err != nil {
				return err
			}
			users[name] = u.ID
		}
		for i, name := range []string{"南海区机构改革撤销局", "南海区机构改革恢复局"} {
			d := org.Department{Name: name, USCC: demo.USCC("440605", 70+i), RegionCode: "440605"}
			if err := org.CreateDepartment(ctx, tx, by, &d, t0); err != nil {
				return err
			}
			depts = append(depts, d.ID)
		}
		_, err := org.SetDepartmentDisabled(ctx, tx, by, depts[1], true, nil, t0)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	self := rf.session(t, "fc.self")
	user := func(name string) string { return "/api/v1/users/" + itoa(users[name]) }
	ok("disable fc.enable", rf.do(t, "POST", user("fc.enable")+"/disable", "", "", op...), 200)

	app := func(name string) int64 {
		r := ok("create "+name, rf.do(t, "POST", "/api/v1/apps", rf.opKey, `{"name":"`+name+`","department_id":`+itoa(rf.deptID)+`,"scopes":["catalog.read"]}`), 201)
		id, _ := strconv.ParseInt(jsonNumber(r.body["app"].(map[string]any)["id"]), 10, 64)
		return id
	}
	rotated, revoked, keyed := app("轮换"), app("注销"), app("吊销密钥")
	r := ok("app keys", rf.do(t, "GET", "/api/v1/apps/"+itoa(keyed), rf.opKey, ""), 200)
	keys, _ := r.body["keys"].([]any)
	if len(keys) == 0 {
		t.Fatalf("app without keys: %v", r.body)
	}
	keyID := keys[0].(map[string]any)["key_id"].(string)

	// Records: a subject in both entries with different names (a
	// discrepancy), a batch warned of by 公安, and the change feed.
	entryA, entryB := "/api/v1/records/entries/"+itoa(rf.entryA), "/api/v1/records/entries/"+itoa(rf.entryB)
	subject := recordstest.CitizenID(5151)
	now := beijing(rf.clock.Now())
	ok("push to A", rf.do(t, "POST", entryA+"/ops", rf.gaKey, opLine("add", subject, now, map[string]string{"姓名": "张三"})), 201)
	ok("push to B", rf.do(t, "POST", entryB+"/ops", rf.mzKey, opLine("add", subject, now, map[string]string{"姓名": "张叁"})), 201)
	r = ok("discrepancies", rf.do(t, "GET", "/api/v1/records/discrepancies?purpose=核验", rf.mzKey, ""), 200)
	ds, _ := r.body["discrepancies"].([]any)
	if len(ds) != 1 {
		t.Fatalf("discrepancies: %v", r.body)
	}
	disc := "/api/v1/records/discrepancies/" + jsonNumber(ds[0].(map[string]any)["id"])
	firms := recordstest.Entry(t, db, rf.gaID, recordstest.Spec{Code: "102001/000001", Name: "企业登记信息", SubjectKind: "legal_entity",
		Items: []records.Item{{Name: "统一社会信用代码", Type: "C", Length: 18, IdentifiesSubject: true}, {Name: "企业名称", Type: "C", Length: 50}}})
	r = ok("warned batch", rf.do(t, "POST", "/api/v1/records/entries/"+itoa(firms)+"/batches", rf.gaKey,
		opLine("add", "91350100m0001tgqxm", now, map[string]string{"企业名称": "甲公司"}), "Content-Type", "application/x-ndjson"), 201)
	warned := "/api/v1/records/batches/" + jsonNumber(r.body["batch_id"])

	// Catalog: a draft, two submitted entries, a published one, a conflict.
	entry := func(name string, hdr []string) string {
		t.Helper()
		body := strings.Replace(marriageEntry, "婚姻登记信息", name, 1)
		r := ok("create "+name, rf.do(t, "POST", "/api/v1/catalog/entries", "", body, hdr...), 201)
		return "/api/v1/catalog/entries/" + jsonNumber(r.body["id"])
	}
	draft, submitted := entry("婚姻登记信息甲", admin), entry("婚姻登记信息乙", admin)
	toApprove, toReject := entry("婚姻登记信息丙", admin), entry("婚姻登记信息丁", admin)
	for _, e := range []string{submitted, toApprove, toReject} {
		ok("submit", rf.do(t, "POST", e+"/submit", "", "", admin...), 200)
	}
	// The marriage entries share their items: toApprove's sources are decided.
	r = ok("conflicts", rf.do(t, "GET", toApprove+"/conflicts", "", "", op...), 200)
	for _, c := range r.body["items"].([]any) {
		c := c.(map[string]any)
		cands := c["candidates"].([]any)
		ok("decide", rf.do(t, "POST", toApprove+"/conflicts/"+jsonNumber(c["id"])+"/decision", "",
			`{"authoritative_entry_id":`+jsonNumber(cands[0].(map[string]any)["entry_id"])+`}`, op...), 200)
	}
	submitted = draft // submit the draft; edit and read the submitted ones
	edited := entry("婚姻登记信息戊", admin)
	deleted := entry("婚姻登记信息辛", admin)
	published := publishEntry(t, db, rf.mzID, rf.deptID, personResource("婚姻状况信息", "03", "民政", "003", "婚姻状况", "11",
		"daily", "公民身份号码*:C18;婚姻状况:C10"), t0)
	pub := "/api/v1/catalog/entries/" + itoa(published)
	revision := personResource("独生子女登记信息", "03", "民政", "004", "独生子女登记", "11", "daily", "公民身份号码*:C18;登记日期:D")
	revised := "/api/v1/catalog/entries/" + itoa(publishEntry(t, db, rf.mzID, rf.deptID, revision, t0))
	revision.Abstract += "（修订）"
	body, err := json.Marshal(revision)
	if err != nil {
		t.Fatal(err)
	}
	ok("revise", rf.do(t, "PUT", revised, "", string(body), admin...), 200)
	// Entries whose retirement the department asked for: approved,
	// rejected, withdrawn.
	requested := func(name, sub, item string) string {
		t.Helper()
		e := "/api/v1/catalog/entries/" + itoa(publishEntry(t, db, rf.mzID, rf.deptID,
			personResource(name, "03", "民政", sub, name, "11", "daily", "公民身份号码*:C18;"+item+":D"), t0))
		ok("request retirement of "+name, rf.do(t, "POST", e+"/retire", "", `{"reason":"停止采集"}`, admin...), 202)
		return e
	}
	retireApproved := requested("收养登记信息", "005", "收养日期")
	retireRejected := requested("殡葬服务信息", "006", "火化日期")
	retireWithdrawn := requested("婚姻家庭辅导信息", "007", "辅导日期")
	conflicted := catalogConflict(t, rf, db)
	r = ok("entry A", rf.do(t, "GET", "/api/v1/catalog/entries/"+itoa(rf.entryA), rf.readKey, ""), 200)
	code := r.body["code"].(string)
	level := `{"name":"3级","description":"泄露后对个人合法权益造成一般损害"}`
	registration := `{"format":"` + catalog.RegistrationFormat + `","entries":[{"code":"303001/000099","provider":` +
		`{"name":"南海区民政局","uscc":"11440605MB2C9235XX","region_code":"440605"},"resource":` +
		strings.Replace(marriageEntry, "婚姻登记信息", "收养登记信息", 1) + `}]}`
	ok("save mapping", rf.do(t, "POST", "/api/v1/catalog/import-mappings", "",
		`{"name":"民政","columns":{},"defaults":{"数据类型":"C","长度":"18"}}`, admin...), 200)
	csv := append([]string{"Content-Type", "text/csv"}, admin...)
	dept := demo.USCC("440605", 78)
	mz, err := org.DepartmentByID(ctx, db.Read(), rf.mzID)
	if err != nil {
		t.Fatal(err)
	}

	get := func(path, key string, hdr ...string) routeCall {
		return routeCall{method: "GET", path: path, key: key, hdr: hdr, status: 200}
	}
	at := func(route string, c routeCall) routeCall { c.route = route; return c }
	audited := func(c routeCall) routeCall { c.audited = true; return c }
	call := func(method, path, key, body string, status int, hdr ...string) routeCall {
		return routeCall{method: method, path: path, key: key, body: body, hdr: hdr, status: status, audited: true}
	}
	const (
		ents = "/api/v1/catalog/entries/{id}"
		recs = "/api/v1/records/entries/{id}"
		apps = "/api/v1/apps/{id}"
		usrs = "/api/v1/users/{id}"
	)
	return []routeCall{
		at("GET /api/v1/openapi.json", routeCall{method: "GET", path: "/api/v1/openapi.json", status: 200}),
		at("POST /api/v1/auth/login", call("POST", "/api/v1/auth/login", "", `{"username":"mz.reviewer","password":"`+password+`"}`, 200)),
		at("POST /api/v1/auth/logout", call("POST", "/api/v1/auth/logout", "", "", 204, leaving...)),
		at("GET /api/v1/me", get("/api/v1/me", rf.gaKey)),
		at("POST /api/v1/me/password", call("POST", "/api/v1/me/password", "", `{"current_password":"`+password+`","password":"Another-Horse-7"}`, 204, self...)),
		at("GET /api/v1/regions", get("/api/v1/regions", rf.opKey)),
		at("POST /api/v1/regions", call("POST", "/api/v1/regions", rf.opKey, `{"code":"440606","name":"顺德区","level":"district","parent_code":"440000"}`, 201)),
		at("GET /api/v1/departments", get("/api/v1/departments", rf.opKey)),
		at("POST /api/v1/departments", call("POST", "/api/v1/departments", rf.opKey, `{"name":"南海区教育局","uscc":"`+dept+`","region_code":"440605"}`, 201)),
		at("GET /api/v1/departments/{id}", get("/api/v1/departments/"+itoa(rf.gaID), rf.opKey)),
		at("PUT /api/v1/departments/{id}", call("PUT", "/api/v1/departments/"+itoa(rf.mzID), rf.opKey, `{"name":"`+mz.Name+`（更名）","uscc":"`+mz.USCC+`"}`, 200)),
		at("POST /api/v1/departments/{id}/disable", call("POST", "/api/v1/departments/"+itoa(depts[0])+"/disable", rf.opKey, "", 200)),
		at("POST /api/v1/departments/{id}/enable", call("POST", "/api/v1/departments/"+itoa(depts[1])+"/enable", rf.opKey, "", 200)),
		at("GET /api/v1/users", get("/api/v1/users", "", op...)),
		at("POST /api/v1/users", call("POST", "/api/v1/users", rf.opKey, `{"username":"fc.new","display_name":"新账号","department_id":`+itoa(rf.mzID)+`,"role":"reviewer","password":"`+password+`"}`, 201)),
		at("GET "+usrs, get(user("fc.reset"), "", op...)),
		at("PATCH "+usrs, call("PATCH", user("fc.reset"), "", `{"display_name":"fc.reset（改）"}`, 200, op...)),
		at("POST "+usrs+"/disable", call("POST", user("fc.disable")+"/disable", "", "", 200, op...)),
		at("POST "+usrs+"/enable", call("POST", user("fc.enable")+"/enable", "", "", 200, op...)),
		at("POST "+usrs+"/password", call("POST", user("fc.reset")+"/password", "", `{"password":"Another-Horse-8"}`, 204, op...)),
		at("GET /api/v1/apps", get("/api/v1/apps", rf.opKey)),
		at("POST /api/v1/apps", call("POST", "/api/v1/apps", rf.opKey, `{"name":"新应用","department_id":`+itoa(rf.deptID)+`,"scopes":["catalog.read"]}`, 201)),
		at("GET "+apps, get("/api/v1/apps/"+itoa(rotated), rf.opKey)),
		at("POST "+apps+"/rotate", call("POST", "/api/v1/apps/"+itoa(rotated)+"/rotate", rf.opKey, `{}`, 201)),
		at("POST "+apps+"/revoke", call("POST", "/api/v1/apps/"+itoa(revoked)+"/revoke", rf.opKey, "", 204)),
		at("DELETE "+apps+"/keys/{key_id}", call("DELETE", "/api/v1/apps/"+itoa(keyed)+"/keys/"+keyID, rf.opKey, "", 204)),
		at("GET /api/v1/audit", audited(get("/api/v1/audit?subject_id="+subject, rf.opKey))),
		at("GET /api/v1/audit/verify", get("/api/v1/audit/verify", rf.opKey)),
		at("GET /api/v1/ident/{value}", get("/api/v1/ident/"+subject, rf.opKey)),
		at("GET /api/v1/calendar/{year}", get("/api/v1/calendar/2026", rf.opKey)),
		at("GET /api/v1/calendar/deadline", get("/api/v1/calendar/deadline?from=2026-03-02&days=5", rf.opKey)),

		at("POST "+recs+"/ops", call("POST", entryA+"/ops", rf.gaKey, opLine("change", subject, now, map[string]string{"姓名": "张三丰"}), 201)),
		at("POST "+recs+"/batches", call("POST", entryA+"/batches", rf.gaKey, opLine("add", recordstest.CitizenID(5152), now,
			map[string]string{"姓名": "李四"}), 201, "Content-Type", "application/x-ndjson")),
		at("GET /api/v1/records/batches", get("/api/v1/records/batches", rf.opKey)),
		// Warnings name the subjects they warn of: every reader's read is audited, the pusher's too.
		at("GET /api/v1/records/batches/{id}", audited(get(warned, "", op...))),
		at("GET /api/v1/records/batches/{id}", audited(get(warned, rf.gaKey))),
		at("GET "+recs+"/subjects/{subject}", audited(get(entryA+"/subjects/"+subject+"?purpose=核验", rf.gaKey))),
		at("GET "+recs+"/subjects/{subject}/history", audited(get(entryA+"/subjects/"+subject+"/history?purpose=核验", rf.gaKey))),
		at("GET "+recs+"/changes", audited(get(entryA+"/changes?purpose=核验", rf.gaKey))),
		at("GET "+recs+"/rule", get(entryA+"/rule", rf.gaKey)),
		at("PUT "+recs+"/rule", call("PUT", entryA+"/rule", rf.opKey, `{"rule":"quarterly","note":"经区政务办审核"}`, 200)),
		at("GET /api/v1/records/quality", get("/api/v1/records/quality", rf.gaKey)),
		at("GET /api/v1/records/stale", get("/api/v1/records/stale", rf.gaKey)),
		at("GET /api/v1/records/discrepancies", audited(get("/api/v1/records/discrepancies?purpose=核验", rf.mzKey))),
		at("POST /api/v1/records/discrepancies/{id}/feedback", call("POST", disc+"/feedback", rf.mzKey, `{"feedback":"经核实，低保系统录入有误"}`, 200)),
		// The other department's feedback disputes the discrepancy: the operator resolves it.
		at("POST /api/v1/records/discrepancies/{id}/resolve", call("POST", disc+"/resolve", "", `{"note":"以户籍登记为准"}`, 200, op...)),
		at("POST /api/v1/records/crosscheck", call("POST", "/api/v1/records/crosscheck", rf.opKey, "", 200)),

		at("GET /api/v1/catalog/entries", get("/api/v1/catalog/entries", rf.readKey)),
		at("POST /api/v1/catalog/entries", call("POST", "/api/v1/catalog/entries", "", strings.Replace(marriageEntry, "婚姻登记信息", "婚姻登记信息己", 1), 201, admin...)),
		at("GET "+ents, get(pub, rf.readKey)),
		at("PUT "+ents, call("PUT", edited, "", strings.Replace(marriageEntry, "婚姻登记信息", "婚姻登记信息庚", 1), 200, admin...)),
		at("DELETE "+ents, call("DELETE", deleted, "", "", 204, admin...)),
		at("POST "+ents+"/submit", call("POST", submitted+"/submit", "", "", 200, admin...)),
		at("POST "+ents+"/approve", call("POST", toApprove+"/approve", "", "", 200, op...)),
		at("POST "+ents+"/reject", call("POST", toReject+"/reject", "", `{"reason":"更新周期与业务不符"}`, 200, op...)),
		at("POST "+ents+"/retire", call("POST", pub+"/retire", "", `{"reason":"停止采集"}`, 202, admin...)),
		at("POST "+ents+"/retire/approve", call("POST", retireApproved+"/retire/approve", "", "", 200, op...)),
		at("POST "+ents+"/retire/reject", call("POST", retireRejected+"/retire/reject", "", `{"reason":"仍有部门在用"}`, 200, op...)),
		at("POST "+ents+"/retire/withdraw", call("POST", retireWithdrawn+"/retire/withdraw", "", "", 200, admin...)),
		at("GET /api/v1/catalog/retire-requests", get("/api/v1/catalog/retire-requests", rf.readKey)),
		at("DELETE "+ents+"/revision", call("DELETE", revised+"/revision", "", "", 200, admin...)),
		at("GET "+ents+"/versions", get("/api/v1/catalog/entries/"+itoa(rf.entryA)+"/versions", rf.readKey)),
		at("GET "+ents+"/history", get(conflicted.entry+"/history", "", op...)),
		at("GET "+ents+"/versions/{version}", get("/api/v1/catalog/entries/"+itoa(rf.entryA)+"/versions/1", rf.readKey)),
		at("GET "+ents+"/diff", get("/api/v1/catalog/entries/"+itoa(rf.entryA)+"/diff?from=1&to=1", rf.readKey)),
		at("GET "+ents+"/conflicts", get(conflicted.entry+"/conflicts", "", op...)),
		at("POST "+ents+"/conflicts/{conflict}/decision", call("POST", conflicted.entry+"/conflicts/"+conflicted.id+"/decision", "",
			`{"authoritative_entry_id":`+itoa(rf.entryA)+`}`, 200, op...)),
		at("GET /api/v1/catalog/vocabulary", get("/api/v1/catalog/vocabulary", rf.readKey)),
		at("GET /api/v1/catalog/security-levels", get("/api/v1/catalog/security-levels", rf.readKey)),
		at("PUT /api/v1/catalog/security-levels/{level}", call("PUT", "/api/v1/catalog/security-levels/3", "", level, 200, op...)),
		at("GET /api/v1/catalog/registration", get("/api/v1/catalog/registration", rf.readKey)),
		at("POST /api/v1/catalog/registration", call("POST", "/api/v1/catalog/registration", "", registration, 200, op...)),
		at("GET /api/v1/public/catalog", get("/api/v1/public/catalog", "")),
		at("GET /api/v1/public/catalog/{code...}", get("/api/v1/public/catalog/"+code, "")),
		at("POST /api/v1/catalog/import", call("POST", "/api/v1/catalog/import?mapping=民政&good_only=true", "", importCSV, 201, csv...)),
		at("GET /api/v1/catalog/export", get("/api/v1/catalog/export?format=csv", rf.readKey)),
		at("GET /api/v1/catalog/import-mappings", get("/api/v1/catalog/import-mappings", "", admin...)),
		at("POST /api/v1/catalog/import-mappings", call("POST", "/api/v1/catalog/import-mappings", "",
			`{"name":"民政二","columns":{},"defaults":{"数据类型":"C"}}`, 200, admin...)),
		// Last: the entry moves to another department.
		at("POST /api/v1/catalog/transfers", call("POST", "/api/v1/catalog/transfers", "", `{"from_department_id":`+itoa(rf.mzID)+
			`,"to_department_id":`+itoa(rf.gaID)+`,"entry_ids":[`+itoa(rf.entryB)+`]}`, 200, op...)),
	}
}

// conflict is a one-data-one-source conflict of a submitted entry.
type conflict struct{ entry, id string }

// catalogConflict submits a 民政 entry that carries 姓名, of which 公安's
// entry A is the source, and returns its conflict (decided for entry A,
// the one candidate: a reviewer may decide it again).
func catalogConflict(t *testing.T, rf *recordsFixture, db *sqldb.DB) conflict {
	t.Helper()
	ctx := context.Background()
	by := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test", DepartmentID: rf.mzID}, Editor: true}
	r := personResource("社会救助对象信息", "03", "民政", "004", "社会救助", "03", "monthly", "公民身份号码*:C18;姓名:C50")
	var id int64
	err := db.Tx(ctx, func(tx *sqldb.Tx) error {
		e, err := catalog.Create(ctx, tx, by, rf.mzID, r, t0)
		if err != nil {
			return err
		}
		id = e.ID
		_, err = catalog.Submit(ctx, tx, by, e.ID, t0)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	path := "/api/v1/catalog/entries/" + itoa(id)
	res := rf.do(t, "GET", path+"/conflicts", "", "", rf.session(t, "nh.op")...)
	items, _ := res.body["items"].([]any)
	for _, it := range items {
		c := it.(map[string]any)
		b, _ := json.Marshal(c["id"])
		return conflict{entry: path, id: string(b)}
	}
	t.Fatalf("no conflict: %d %v", res.status, res.body)
	return conflict{}
}
