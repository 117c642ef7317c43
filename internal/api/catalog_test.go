package api_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/api"
	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// session logs a fixture user in and returns the headers of its requests.
func (f *fixture) session(t *testing.T, username string) []string {
	t.Helper()
	r := f.do(t, "POST", "/api/v1/auth/login", "", `{"username":"`+username+`","password":"`+password+`"}`)
	if r.status != 200 {
		t.Fatalf("login %s: %d %v", username, r.status, r.body)
	}
	var cookie string
	for _, c := range strings.Split(r.header.Get("Set-Cookie"), ";") {
		if strings.HasPrefix(c, auth.SessionCookie+"=") {
			cookie = c
		}
	}
	return []string{"Cookie", cookie, auth.CSRFHeader, r.body["csrf_token"].(string)}
}

const marriageEntry = `{"name":"婚姻登记信息","abstract":"结婚登记、离婚登记及补领婚姻登记证信息",
	"classification":{"class":"departmental","category_code":"03","category_name":"民政","subcategory_code":"001","subcategory_name":"婚姻登记"},
	"format":"database","items":[{"name":"男方公民身份号码","type":"C","length":18,"identifies_subject":true},
	{"name":"男方姓名","type":"C","length":50},{"name":"登记日期","type":"D"}],
	"share_type":"conditional","share_conditions":"用于婚姻状况核验","share_methods":["verify"],"share_scope":"全区政务部门",
	"open_attribute":"closed","update_frequency":"realtime","security_level":3,"network_zone":"egov_extranet",
	"domain":"11","subject_kind":"person"}`

func TestCatalogScenario(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin, op, reviewer := f.session(t, "mz.admin"), f.session(t, "nh.op"), f.session(t, "mz.reviewer")
		expect := func(what string, r response, status int) response {
			t.Helper()
			if r.status != status {
				t.Fatalf("%s: got %d %v, want %d", what, r.status, r.body, status)
			}
			return r
		}
		// A caller without the scope is told which, and what it allows.
		if r := f.do(t, "POST", "/api/v1/catalog/entries", "", marriageEntry, reviewer...); r.status != 403 ||
			r.body["detail"] != "无权执行此操作（需要权限 catalog.write：编制与提交本部门目录）" {
			t.Errorf("reviewer creates: got %d %v, want 403 naming catalog.write", r.status, r.body)
		}
		bad := strings.Replace(marriageEntry, `"share_type":"conditional"`, `"share_type":"none"`, 1)
		r := expect("invalid entry", f.do(t, "POST", "/api/v1/catalog/entries", "", bad, admin...), 400)
		if r.body["field"] != "legal_basis" {
			t.Errorf("invalid entry: field %v, want legal_basis", r.body["field"])
		}
		created := append([]string{"Idempotency-Key", "marriage-1"}, admin...)
		r = expect("create", f.do(t, "POST", "/api/v1/catalog/entries", "", marriageEntry, created...), 201)
		again := expect("create again", f.do(t, "POST", "/api/v1/catalog/entries", "", marriageEntry, created...), 201)
		if r.body["id"] != again.body["id"] || r.body["code"] != "303001/000001" {
			t.Fatalf("create: %v, replay %v", r.body["code"], again.body["id"])
		}
		id := jsonNumber(r.body["id"])
		base := "/api/v1/catalog/entries/" + id
		r = expect("app of another department", f.do(t, "POST", "/api/v1/apps", "", `{"name":"目录查询","scopes":["catalog.read"]}`, op...), 201)
		otherKey := r.body["api_key"].(string)
		expect("draft for another department", f.do(t, "GET", base, otherKey, ""), 404)
		expect("submit", f.do(t, "POST", base+"/submit", "", "", admin...), 200)
		// Only the platform operator and its department's reviewers review:
		// the department's administrator (who holds catalog.write), its
		// reviewer and an app are told that rule, not a scope.
		const review = "只有平台管理员或政务数据主管部门的审核员可以审核数据资源目录"
		for _, c := range []struct {
			who, method, path, body string
			key                     string   // an app's
			hdr                     []string // a session's
			rule                    string
		}{
			{"administrator approves", "POST", base + "/approve", "", "", admin, review},
			{"reviewer approves", "POST", base + "/approve", "", "", reviewer, review},
			{"reviewer rejects", "POST", base + "/reject", `{"reason":"不完整"}`, "", reviewer, review},
			{"app rejects", "POST", base + "/reject", `{"reason":"不完整"}`, f.readKey, nil, review},
			{"reviewer decides", "POST", base + "/conflicts/1/decision", `{"authoritative_entry_id":1}`, "", reviewer, review},
			{"reviewer edits a level", "PUT", "/api/v1/catalog/security-levels/3", `{"name":"3级"}`, "", reviewer, "只有平台管理员可以修改安全级别定义"},
			{"reviewer imports", "POST", "/api/v1/catalog/registration", `{}`, "", reviewer, "只有平台管理员可以导入目录注册数据"},
		} {
			if r := expect(c.who, f.do(t, c.method, c.path, c.key, c.body, c.hdr...), 403); r.body["detail"] != c.rule {
				t.Errorf("%s: refused with %q, want %q", c.who, r.body["detail"], c.rule)
			}
		}
		r = expect("approve", f.do(t, "POST", base+"/approve", "", "", op...), 200)
		if r.body["status"] != "published" {
			t.Errorf("approved status %v", r.body["status"])
		}

		r = expect("search", f.do(t, "GET", "/api/v1/catalog/entries?q="+url.QueryEscape("婚姻"), f.readKey, ""), 200)
		if items := r.body["items"].([]any); len(items) != 1 || r.body["facets"] == nil || r.body["total"] != 1.0 {
			t.Errorf("search: %v", r.body)
		}
		r = expect("one-character search", f.do(t, "GET", "/api/v1/catalog/entries?facets=false&q="+url.QueryEscape("婚"), f.readKey, ""), 200)
		if len(r.body["items"].([]any)) != 1 || r.body["facets"] != nil {
			t.Errorf("one-character search: %v", r.body)
		}
		r = expect("public list", f.do(t, "GET", "/api/v1/public/catalog?q="+url.QueryEscape("婚姻登记"), "", ""), 200)
		if b, _ := json.Marshal(r.body); len(r.body["items"].([]any)) != 1 || strings.Contains(string(b), "security_level") {
			t.Errorf("public list: %s", b)
		}
		// A catalog code holds a slash: sent as it is or escaped (%2F).
		for _, u := range []string{"/api/v1/public/catalog/" + url.PathEscape("303001/000001"), "/api/v1/public/catalog/303001/000001"} {
			if r = expect("public entry "+u, f.do(t, "GET", u, "", ""), 200); r.body["code"] != "303001/000001" {
				t.Errorf("public entry %s: %v", u, r.body)
			}
		}
		if r = expect("public entry not in the catalog", f.do(t, "GET", "/api/v1/public/catalog/303001/000099", "", ""), 404); r.body["code"] != "entry_not_found" {
			t.Errorf("an unknown code with a slash: %v, want entry_not_found", r.body)
		}

		rev := strings.Replace(marriageEntry, `"update_frequency":"realtime"`, `"update_frequency":"daily"`, 1)
		r = expect("revise", f.do(t, "PUT", base, "", rev, admin...), 200)
		if r.body["version"] != 2.0 || r.body["working_version"] != 2.0 || r.body["update_frequency"] != "daily" ||
			r.body["status"] != "draft" || r.body["published_version"] != 1.0 {
			t.Errorf("revise: version %v working %v frequency %v status %v published %v", r.body["version"],
				r.body["working_version"], r.body["update_frequency"], r.body["status"], r.body["published_version"])
		}
		if r = expect("in force", f.do(t, "GET", base, "", "", admin...), 200); r.body["update_frequency"] != "realtime" {
			t.Errorf("in force frequency %v", r.body["update_frequency"])
		}
		r = expect("working copy", f.do(t, "GET", base+"?view=working", "", "", admin...), 200)
		if r.body["update_frequency"] != "daily" {
			t.Errorf("working copy frequency %v", r.body["update_frequency"])
		}
		// working is the only view: another is refused, not read as the published one.
		if r = expect("unknown view", f.do(t, "GET", base+"?view=bogus", "", "", admin...), 400); r.body["code"] != "invalid_view" ||
			r.body["field"] != "view" {
			t.Errorf("unknown view: %v, want invalid_view on view", r.body)
		}
		r = expect("versions", f.do(t, "GET", base+"/versions", "", "", admin...), 200)
		if len(r.body["items"].([]any)) != 2 {
			t.Errorf("versions: %v", r.body)
		}
		r = expect("diff", f.do(t, "GET", base+"/diff", "", "", admin...), 200)
		fields := r.body["changes"].(map[string]any)["fields"].([]any)
		if len(fields) != 1 || fields[0].(map[string]any)["field"] != "update_frequency" {
			t.Errorf("diff: %v", r.body)
		}
		expect("reject a draft", f.do(t, "POST", base+"/reject", "", `{"reason":"不完整"}`, op...), 409)
		expect("submit revision", f.do(t, "POST", base+"/submit", "", "", admin...), 200)
		expect("reject without reason", f.do(t, "POST", base+"/reject", "", `{"reason":""}`, op...), 400)
		expect("reject", f.do(t, "POST", base+"/reject", "", `{"reason":"更新周期与业务不符"}`, op...), 200)
		r = expect("conflicts", f.do(t, "GET", base+"/conflicts", "", "", op...), 200)
		if len(r.body["items"].([]any)) != 0 {
			t.Errorf("conflicts: %v", r.body)
		}

		level := `{"name":"3级","description":"泄露后对个人合法权益造成一般损害"}`
		expect("department edits a level", f.do(t, "PUT", "/api/v1/catalog/security-levels/3", "", level, admin...), 403)
		expect("operator edits a level", f.do(t, "PUT", "/api/v1/catalog/security-levels/3", "", level, op...), 200)
		r = expect("levels", f.do(t, "GET", "/api/v1/catalog/security-levels", f.readKey, ""), 200)
		if len(r.body["items"].([]any)) != 4 {
			t.Errorf("levels: %v", r.body)
		}
		expect("vocabulary", f.do(t, "GET", "/api/v1/catalog/vocabulary", f.readKey, ""), 200)

		r = expect("export", f.do(t, "GET", "/api/v1/catalog/registration", f.readKey, ""), 200)
		reg, _ := json.Marshal(r.body)
		expect("import by a department", f.do(t, "POST", "/api/v1/catalog/registration", "", string(reg), admin...), 403)
		r = expect("re-import", f.do(t, "POST", "/api/v1/catalog/registration", "", string(reg), op...), 409)
		if r.body["code"] != "entry_busy" {
			t.Errorf("re-import over a pending revision: %v", r.body)
		}
		// The department asks; the entry stays public until the operator approves.
		r = expect("request retirement", f.do(t, "POST", base+"/retire", "", `{"reason":"停止采集"}`, admin...), 202)
		if r.body["status"] != "published" {
			t.Errorf("after the request: status %v, want published", r.body["status"])
		}
		expect("public while requested", f.do(t, "GET", "/api/v1/public/catalog/303001/000001", "", ""), 200)
		expect("approve retirement", f.do(t, "POST", base+"/retire/approve", "", "", op...), 200)
		for _, u := range []string{"/api/v1/public/catalog/" + url.PathEscape("303001/000001"), "/api/v1/public/catalog/303001/000001"} {
			expect("public after retirement "+u, f.do(t, "GET", u, "", ""), 404)
		}
	})
}

func jsonNumber(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestRegistrationOverOneMiB: a registration document larger than a JSON
// request's limit (another platform's catalog) is imported whole, with an
// Idempotency-Key too; its limit is the route's, not the client's choice.
func TestRegistrationOverOneMiB(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		var res map[string]any
		if err := json.Unmarshal([]byte(marriageEntry), &res); err != nil {
			t.Fatal(err)
		}
		type entry struct {
			Code     string         `json:"code"`
			Provider map[string]any `json:"provider"`
			Resource map[string]any `json:"resource"`
		}
		reg := struct {
			Format  string  `json:"format"`
			Entries []entry `json:"entries"`
		}{Format: catalog.RegistrationFormat}
		// Entries of a real catalog describe tens of data items each.
		items := res["items"].([]any)
		for i := len(items); i < 40; i++ {
			items = append(items, map[string]any{"name": fmt.Sprintf("登记事项%02d", i), "type": "C", "length": 100,
				"description": strings.Repeat("婚姻登记档案中记载的登记事项，按登记机关的登记簿填写。", 4)})
		}
		res["items"] = items
		provider := map[string]any{"name": "南海区民政局", "uscc": "11440605MB2C9235XX", "region_code": "440605"}
		var doc []byte
		for i := 1; len(doc) <= api.MaxJSONBody; i++ {
			r := maps.Clone(res)
			r["name"] = fmt.Sprintf("婚姻登记信息%04d", i)
			reg.Entries = append(reg.Entries, entry{Code: fmt.Sprintf("303001/%06d", i), Provider: provider, Resource: r})
			if i%10 == 0 {
				doc, _ = json.Marshal(reg)
			}
		}
		op := append(f.session(t, "nh.op"), "Idempotency-Key", "reg-1")
		r := f.do(t, "POST", "/api/v1/catalog/registration", "", string(doc), op...)
		if r.status != 200 || r.body["created"] != float64(len(reg.Entries)) {
			t.Fatalf("import of %d entries (%d bytes): got %d %v", len(reg.Entries), len(doc), r.status, r.body)
		}
		if r := f.do(t, "POST", "/api/v1/catalog/registration", "", string(doc), op...); r.status != 200 ||
			r.header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("replay: got %d %v", r.status, r.header)
		}
	})
}

// TestBadFiltersRefused: a filter the API cannot read is a 400 naming it,
// never ignored (which answered with everything, or with nothing).
func TestBadFiltersRefused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		for _, tt := range []struct {
			path, key, code, field string
		}{
			{"/api/v1/users?department_id=abc", f.opKey, "invalid_number", "department_id"},
			{"/api/v1/apps?department_id=-1", f.opKey, "invalid_number", "department_id"},
			{"/api/v1/catalog/entries?status=publishd", f.readKey, "invalid_status", "status"},
			{"/api/v1/catalog/entries?status=draft,superseded", f.readKey, "invalid_status", "status"},
			{"/api/v1/catalog/entries?share_type=open", f.readKey, "invalid_filter", "share_type"},
			{"/api/v1/catalog/entries?share_method=email", f.readKey, "invalid_filter", "share_method"},
			{"/api/v1/catalog/entries?review_due=yes", f.readKey, "invalid_boolean", "review_due"},
			{"/api/v1/public/catalog?update_frequency=hourly", "", "invalid_filter", "update_frequency"},
			{"/api/v1/catalog/entries?security_level=9", f.readKey, "invalid_filter", "security_level"},
			// A parameter the route does not take, misspelt or another
			// route's, is refused rather than read as no filter.
			{"/api/v1/public/catalog?security_level=0", "", "unknown_parameter", "security_level"},
			{"/api/v1/public/catalog?status=draft", "", "unknown_parameter", "status"},
			{"/api/v1/catalog/entries?department=" + itoa(f.otherID), f.readKey, "unknown_parameter", "department"},
			{"/api/v1/regions?q=北京", f.opKey, "unknown_parameter", "q"},
			{"/api/v1/catalog/vocabulary?lang=en", f.readKey, "unknown_parameter", "lang"},
			{"/api/v1/catalog/export?format=csv&status=bogus", f.readKey, "invalid_status", "status"},
			{"/api/v1/ident/110101199003074514?lenient=maybe", f.readKey, "invalid_boolean", "lenient"},
			// A cursor whose name PostgreSQL cannot compare (NUL).
			{"/api/v1/catalog/entries?sort=name&cursor=" + base64.RawURLEncoding.EncodeToString([]byte(`{"s":"name","n":"a\u0000","i":1}`)),
				f.readKey, "invalid_cursor", "cursor"},
		} {
			r := f.do(t, "GET", tt.path, tt.key, "")
			if r.status != 400 || r.body["code"] != tt.code || r.body["field"] != tt.field {
				t.Errorf("GET %s: got %d %v, want 400 %s on %s", tt.path, r.status, r.body, tt.code, tt.field)
			}
		}
		for path, key := range map[string]string{"/api/v1/users?department_id=" + itoa(f.otherID): f.opKey,
			"/api/v1/catalog/entries?status=draft,+published&share_type=conditional&share_method=verify&review_due=false&facets=false&security_level=4": f.readKey} {
			if r := f.do(t, "GET", path, key, ""); r.status != 200 {
				t.Errorf("GET %s: got %d %v", path, r.status, r.body)
			}
		}
	})
}

// TestShareMethodsNeverNull: an entry without share methods (not shared)
// answers share_methods as [] wherever it is shown: the created entry, the
// entry, its version, a page of the list and, once published, the
// registration and the JSON lines export.
func TestShareMethodsNeverNull(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin := f.session(t, "mz.admin")
		notShared := strings.Replace(marriageEntry, `"share_type":"conditional","share_conditions":"用于婚姻状况核验","share_methods":["verify"],`,
			`"share_type":"none","legal_basis":"《婚姻登记条例》第十条",`, 1)
		created := f.do(t, "POST", "/api/v1/catalog/entries", "", notShared, admin...)
		if created.status != 201 {
			t.Fatalf("create: %d %v", created.status, created.body)
		}
		empty := func(what string, v map[string]any) {
			t.Helper()
			if m, ok := v["share_methods"].([]any); !ok || len(m) != 0 {
				t.Errorf("%s: share_methods %#v, want []", what, v["share_methods"])
			}
		}
		empty("created", created.body)
		base := "/api/v1/catalog/entries/" + jsonNumber(created.body["id"])
		entry := f.do(t, "GET", base, "", "", admin...).body
		empty("entry", entry)
		doc := openAPIDoc(t)
		schema := documentedResponse(t, doc, "GET", "/api/v1/catalog/entries/{id}", 200)["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)
		if errs := schemaErrors(doc, schema, entry, ""); len(errs) != 0 {
			t.Errorf("entry: %v", errs)
		}
		if v, _ := f.do(t, "GET", base+"/versions/1", "", "", admin...).body["resource"].(map[string]any); v == nil {
			t.Errorf("version 1: no resource")
		} else {
			empty("version", v)
		}
		if items, _ := f.do(t, "GET", "/api/v1/catalog/entries?status=draft", "", "", admin...).body["items"].([]any); len(items) != 1 {
			t.Errorf("list: %v, want the draft", items)
		} else {
			empty("list", items[0].(map[string]any))
		}
		for _, step := range []string{"submit", "approve"} {
			by := admin
			if step == "approve" {
				by = f.session(t, "nh.op")
			}
			if r := f.do(t, "POST", base+"/"+step, "", "", by...); r.status != 200 {
				t.Fatalf("%s: %d %v", step, r.status, r.body)
			}
		}
		if entries, _ := f.do(t, "GET", "/api/v1/catalog/registration", f.readKey, "").body["entries"].([]any); len(entries) != 1 {
			t.Errorf("registration: %v, want the entry", entries)
		} else {
			empty("registration", entries[0].(map[string]any)["resource"].(map[string]any))
		}
		req, _ := http.NewRequest("GET", f.srv.URL+"/api/v1/catalog/export?format=jsonl", nil)
		req.Header.Set("Authorization", "Bearer "+f.readKey)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var line map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&line); err != nil {
			t.Fatalf("export: %d %v", resp.StatusCode, err)
		}
		empty("export", line)
	})
}
