package web_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// entryForm is a valid compile form of a personal data table, with items
// given as name/type/length/identifies quadruples.
func entryForm(token, name string, items ...string) url.Values {
	v := url.Values{
		"csrf_token": {token}, "name": {name}, "abstract": {name + "的登记信息，供各部门核验使用"},
		"class": {"basic"}, "category_code": {"01"}, "subcategory_code": {"001"}, "subcategory_name": {"户籍信息"},
		"format": {"database"}, "subject_kind": {"person"}, "share_type": {"unconditional"},
		"share_methods": {"query", "verify"}, "share_scope": {"全区政务部门"}, "open_attribute": {"closed"},
		"update_frequency": {"realtime"}, "security_level": {"3"}, "network_zone": {"egov_extranet"}, "domain": {"18"},
		"service_items": {"户口迁移（11440605MB2C001）"},
	}
	for i := 0; i+3 < len(items); i += 4 {
		k := fmt.Sprintf("r%d", i/4)
		v.Add("item", k)
		v.Set("item_name_"+k, items[i])
		v.Set("item_type_"+k, items[i+1])
		v.Set("item_length_"+k, items[i+2])
		if items[i+3] == "yes" {
			v.Set("item_identifies_"+k, "yes")
		}
	}
	return v
}

var entryPathRE = regexp.MustCompile(`^/catalog/(\d+)\?msg=`)

// createEntry posts the compile form and returns the new entry's path.
func createEntry(t *testing.T, c *client, form url.Values) string {
	t.Helper()
	r := c.post("/catalog/new", form)
	m := entryPathRE.FindStringSubmatch(r.Location)
	if r.Status != http.StatusSeeOther || m == nil {
		t.Fatalf("create entry: got %d to %q, want 303 to /catalog/{id}\n%s", r.Status, r.Location, r.Body)
	}
	return "/catalog/" + m[1]
}

// postOK posts form to path and expects a redirect to the entry with msg.
func postOK(t *testing.T, c *client, path string, form url.Values, wantLoc string) {
	t.Helper()
	r := c.post(path, form)
	if r.Status != http.StatusSeeOther || r.Location != wantLoc {
		t.Fatalf("POST %s: got %d to %q, want 303 to %q\n%s", path, r.Status, r.Location, wantLoc, r.Body)
	}
}

var conflictFormRE = regexp.MustCompile(`action="(/catalog/\d+/conflicts/\d+)"`)

func TestCatalogLifecycle(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		police := f.client(t)
		ptok := police.login("police.admin")

		// The form offers the vocabularies and the configurable security levels.
		r := police.get("/catalog/new")
		wantStatus(t, "GET /catalog/new", r, http.StatusOK)
		wantBody(t, "new form", r, "编制数据资源", `value="unconditional"`, "有条件共享", "信息查询接口", "1级", "4级",
			"公共安全", `name="item"`, `hx-get="/catalog/item-row"`)

		// Validation errors are shown next to their fields; the values stay.
		bad := entryForm(ptok, "户籍人口基本信息", "姓名", "C", "", "no", "姓名", "C", "50", "no", "出生日期", "D", "abc", "no")
		bad.Set("share_type", "none")
		bad.Del("share_scope")
		r = police.post("/catalog/new", bad)
		wantStatus(t, "invalid form", r, http.StatusUnprocessableEntity)
		wantBody(t, "invalid form", r, "需要修改", "不予共享的资源必须写明所依据的法律法规具体条款",
			"字符型信息项“姓名”必须填写长度", "信息项名称“姓名”与第 1 个信息项重复", "信息项“出生日期”的长度应为整数",
			"标识主体", `value="户籍人口基本信息"`, `value="出生日期"`, `value="abc"`, `class="field-error"`)
		if n := countEntries(t, db); n != 0 {
			t.Fatalf("entries after an invalid form: %d, want 0", n)
		}

		// CSRF is checked on every catalog POST.
		for _, path := range []string{"/catalog/new", "/catalog/1/submit", "/catalog/1/approve", "/catalog/1/reject", "/catalog/1/edit"} {
			form := entryForm("forged", "户籍人口基本信息", "公民身份号码", "C", "18", "yes")
			wantStatus(t, "forged POST "+path, police.post(path, form), http.StatusForbidden)
		}

		good := entryForm(ptok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes", "姓名", "C", "50", "no")
		path := createEntry(t, police, good)
		r = police.get(path + "?msg=created")
		wantStatus(t, "entry page", r, http.StatusOK)
		wantBody(t, "draft entry", r, "户籍人口基本信息", "草稿", "101001/000001", "佛山市公安局南海分局", "公民身份号码",
			"姓名", "字符型", "实时", "3级", "政务外网", "户口迁移", `id="edit-entry"`, `id="submit-entry"`, "已保存为草稿")

		// Another department neither sees nor edits the draft.
		market := f.client(t)
		mtok := market.login("market.admin")
		wantStatus(t, "other dept GET draft", market.get(path), http.StatusNotFound)
		wantStatus(t, "other dept edit", market.get(path+"/edit"), http.StatusNotFound)
		wantStatus(t, "other dept submit", market.post(path+"/submit", url.Values{"csrf_token": {mtok}}), http.StatusNotFound)
		// A reviewer reads the catalog but cannot compile.
		rev := f.client(t)
		rtok := rev.login("reviewer")
		wantStatus(t, "reviewer /catalog", rev.get("/catalog"), http.StatusOK)
		wantStatus(t, "reviewer /catalog/new", rev.get("/catalog/new"), http.StatusForbidden)
		// Only the operator and its department's reviewers review, which a
		// department and its reviewer are told.
		for _, action := range []string{"approve", "reject"} {
			r = police.post(path+"/"+action, url.Values{"csrf_token": {ptok}, "reason": {"不完整"}})
			wantStatus(t, "dept "+action, r, http.StatusForbidden)
			wantBody(t, "dept "+action, r, "只有平台管理员或政务数据主管部门的审核员可以审核数据资源目录")
		}
		r = rev.post(path+"/approve", url.Values{"csrf_token": {rtok}})
		wantStatus(t, "reviewer approve", r, http.StatusForbidden)
		wantBody(t, "reviewer approve", r, "只有平台管理员或政务数据主管部门的审核员可以审核数据资源目录")
		wantBody(t, "reviewer /catalog/new", rev.get("/catalog/new"), "您的角色（审核员）无权访问此页面（仅限平台管理员、部门管理员）")

		// Editing keeps the form filled with the stored values.
		r = police.get(path + "/edit")
		wantStatus(t, "edit form", r, http.StatusOK)
		wantBody(t, "edit form", r, `value="户籍人口基本信息"`, `value="公民身份号码"`, "户口迁移（11440605MB2C001）")
		good.Set("abstract", "辖区户籍人口的身份信息")
		postOK(t, police, path+"/edit", good, path+"?msg=saved")

		postOK(t, police, path+"/submit", url.Values{"csrf_token": {ptok}}, path+"?msg=submitted")
		r = police.get(path)
		wantBody(t, "submitted", r, "待审核")
		wantNoBody(t, "submitted", r, `id="edit-entry"`, `id="submit-entry"`)

		// The operator's queue shows it; the department's drafts tab does not.
		op := f.client(t)
		otok := op.login("operator")
		r = op.get("/catalog?view=submitted")
		wantStatus(t, "queue", r, http.StatusOK)
		wantBody(t, "queue", r, "户籍人口基本信息", `<span class="badge">1</span>`)
		r = op.get(path)
		wantBody(t, "review panel", r, `id="approve-entry"`, `id="reject-entry"`)

		// Rejecting needs a reason.
		r = op.post(path+"/reject", url.Values{"csrf_token": {otok}, "reason": {"  "}})
		wantStatus(t, "reject without reason", r, http.StatusBadRequest)
		wantBody(t, "reject without reason", r, "退回时必须说明理由", `id="reason-error"`)
		postOK(t, op, path+"/reject", url.Values{"csrf_token": {otok}, "reason": {"摘要过于简单"}}, path+"?msg=rejected")
		r = police.get(path)
		wantBody(t, "rejected", r, "已退回", "审核退回理由：摘要过于简单", `id="submit-entry"`)

		postOK(t, police, path+"/submit", url.Values{"csrf_token": {ptok}}, path+"?msg=submitted")
		postOK(t, op, path+"/approve", url.Values{"csrf_token": {otok}}, path+"?msg=approved")
		r = police.get(path)
		wantBody(t, "published", r, "已发布", `id="new-version"`, `id="retire-entry"`)

		// Search: two characters find it, with facets; the public catalog shows it.
		r = rev.get("/catalog?q=" + url.QueryEscape("户籍"))
		wantBody(t, "search 户籍", r, "户籍人口基本信息", "共 1 个", "数源部门", "佛山市公安局南海分局", "公共安全", "安全级别")
		r = rev.get("/catalog?q="+url.QueryEscape("户籍"), "HX-Request", "true")
		wantBody(t, "htmx search", r, `id="catalog-results"`, "户籍人口基本信息")
		wantNoBody(t, "htmx search", r, "<html")
		r = rev.get("/catalog?q=" + url.QueryEscape("婚姻"))
		wantBody(t, "search 婚姻", r, "共 0 个")
		r = rev.get("/catalog?share_type=conditional")
		wantBody(t, "facet filter", r, "共 0 个", "共享类型：有条件共享 <span aria-hidden=\"true\">×</span>")

		anon := f.client(t)
		r = anon.get("/public/catalog?q=" + url.QueryEscape("户籍"))
		wantStatus(t, "public list", r, http.StatusOK)
		wantBody(t, "public list", r, "户籍人口基本信息", "/public/catalog/101001/000001", "工作人员登录")
		wantNoBody(t, "public list", r, "安全级别", "sidenav")
		r = anon.get("/public/catalog/101001/000001")
		wantStatus(t, "public entry", r, http.StatusOK)
		wantBody(t, "public entry", r, "户籍人口基本信息", "公民身份号码", "佛山市公安局南海分局", "信息查询接口")
		wantNoBody(t, "public entry", r, "安全级别", "3级", "政务外网", "全区政务部门")
		wantStatus(t, "public missing", anon.get("/public/catalog/101001/999999"), http.StatusNotFound)
		wantBody(t, "login links public", anon.get("/login"), `href="/public/catalog"`, "共享互认目录")

		// One data, one source: the market department's entry repeats 姓名.
		other := entryForm(mtok, "个体工商户经营者信息", "公民身份号码", "C", "18", "yes", "姓名", "C", "50", "no", "经营场所", "C", "200", "no")
		other.Set("class", "departmental")
		other.Set("category_code", "10")
		other.Set("category_name", "市场监管")
		other.Set("domain", "10")
		mpath := createEntry(t, market, other)
		postOK(t, market, mpath+"/submit", url.Values{"csrf_token": {mtok}}, mpath+"?msg=submitted")
		r = op.get(mpath)
		wantBody(t, "conflict", r, "一数一源冲突", "待裁定", "户籍人口基本信息")
		r = op.post(mpath+"/approve", url.Values{"csrf_token": {otok}})
		wantStatus(t, "approve undecided", r, http.StatusConflict)
		wantBody(t, "approve undecided", r, "一数一源冲突未裁定", "姓名")
		m := conflictFormRE.FindStringSubmatch(r.Body)
		if m == nil {
			t.Fatalf("no conflict form on the entry page:\n%s", r.Body)
		}
		policeID := strings.TrimPrefix(path, "/catalog/")
		postOK(t, op, m[1], url.Values{"csrf_token": {otok}, "authoritative_entry_id": {policeID}}, mpath+"?msg=decided")
		postOK(t, op, mpath+"/approve", url.Values{"csrf_token": {otok}}, mpath+"?msg=approved")
		r = market.get(mpath)
		wantBody(t, "source pointer", r, "以 <a href=\""+path+"\">佛山市公安局南海分局《户籍人口基本信息》</a>的“姓名”为准")

		// A new version of the published entry, then its diff.
		r = police.get(path + "/edit")
		wantBody(t, "new version form", r, "保存为新版本草稿")
		v2 := entryForm(ptok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes", "姓名", "C", "60", "no", "户籍地址", "C", "200", "no")
		v2.Set("update_frequency", "daily")
		postOK(t, police, path+"/edit", v2, path+"?view=working&msg=saved")
		r = police.get(path + "?view=working")
		wantBody(t, "working view", r, "修订稿", "户籍地址", "每日")
		r = police.get(path)
		wantNoBody(t, "current view", r, "户籍地址")
		r = police.get(path + "/versions/2/diff")
		wantStatus(t, "diff", r, http.StatusOK)
		wantBody(t, "diff", r, "第2版与第1版比较", "更新周期", "实时", "每日", "户籍地址", "新增", "姓名", "修改",
			"长度：", "50", "60", "摘要")
		wantStatus(t, "diff of v1", police.get(path+"/versions/1/diff"), http.StatusNotFound)
		// Other departments see neither the revision nor its diff.
		wantStatus(t, "other dept diff", market.get(path+"/versions/2/diff"), http.StatusNotFound)

		// Retiring needs the confirmation box; the revision must not be under review.
		r = police.post(path+"/retire", url.Values{"csrf_token": {ptok}, "reason": {"停止采集"}})
		wantStatus(t, "retire unconfirmed", r, http.StatusBadRequest)
		wantBody(t, "retire unconfirmed", r, "确认注销")
		// The department asks; the entry stays published until the
		// operator approves.
		postOK(t, police, path+"/retire", url.Values{"csrf_token": {ptok}, "reason": {"停止采集"}, "confirm": {"yes"}}, path+"?msg=retire_requested")
		r = police.get(path + "?msg=retire_requested")
		wantBody(t, "requested", r, "已提交注销申请", `id="retire-request"`, `id="withdraw-retire"`)
		wantNoBody(t, "requested", r, `id="retire-entry"`)
		wantBody(t, "public while requested", anon.get("/public/catalog"), "户籍人口基本信息")
		postOK(t, op, path+"/retire/approve", url.Values{"csrf_token": {otok}}, path+"?msg=retire_approved")
		r = police.get(path)
		wantBody(t, "retired", r, "已注销")
		wantNoBody(t, "retired", r, `id="edit-entry"`, `id="new-version"`, `id="retire-entry"`)
		wantBody(t, "public after retire", anon.get("/public/catalog"), "个体工商户经营者信息")
		wantNoBody(t, "public after retire", anon.get("/public/catalog"), "户籍人口基本信息")
	})
}

func countEntries(t *testing.T, db *sqldb.DB) int {
	t.Helper()
	var n int
	if err := db.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM catalog_entries`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCatalogAccess(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		anon := f.client(t)
		for _, p := range []string{"/catalog", "/catalog/new", "/catalog/1", "/catalog/1/versions/2/diff"} {
			r := anon.get(p)
			if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/login?next=") {
				t.Errorf("logged out GET %s: got %d to %q, want 303 to the login page", p, r.Status, r.Location)
			}
		}
		wantStatus(t, "public list logged out", anon.get("/public/catalog"), http.StatusOK)

		aud := f.loggedIn(t, "auditor")
		wantStatus(t, "auditor /catalog", aud.get("/catalog"), http.StatusOK)
		wantStatus(t, "auditor /catalog/new", aud.get("/catalog/new"), http.StatusForbidden)

		c := f.loggedIn(t, "police.admin")
		r := c.get("/catalog")
		wantStatus(t, "/catalog", r, http.StatusOK)
		wantBody(t, "/catalog", r, "数据资源目录", `id="new-entry"`, "草稿与退回", "待审核", "年度维护到期", "尚无已发布的数据资源。")
		wantNoBody(t, "/catalog for a department", r, `class="badge"`)
		wantStatus(t, "bad view", c.get("/catalog?view=nope"), http.StatusBadRequest)
		wantStatus(t, "bad level", c.get("/catalog?security_level=9"), http.StatusBadRequest)
		wantStatus(t, "bad cursor", c.get("/catalog?cursor=xyz"), http.StatusBadRequest)
		wantStatus(t, "missing entry", c.get("/catalog/999"), http.StatusNotFound)
		wantStatus(t, "bad id", c.get("/catalog/abc"), http.StatusNotFound)

		// The item row fragment answers htmx only.
		r = c.get("/catalog/item-row", "HX-Request", "true")
		wantStatus(t, "item row", r, http.StatusOK)
		wantBody(t, "item row", r, `<tr class="item-row">`, `name="item"`, "字符型")
		wantNoBody(t, "item row", r, "<html")
		if r := c.get("/catalog/item-row"); r.Status != http.StatusSeeOther {
			t.Errorf("item row without htmx: got %d, want 303", r.Status)
		}
	})
}

func TestCatalogPaging(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		tok := c.login("police.admin")
		for i := range 23 {
			createEntry(t, c, entryForm(tok, fmt.Sprintf("户籍档案%02d", i), "公民身份号码", "C", "18", "yes"))
		}
		r := c.get("/catalog?view=drafts&sort=name")
		wantBody(t, "page 1", r, "共 23 个", "户籍档案00", "户籍档案19", `id="next-page"`)
		wantNoBody(t, "page 1", r, "户籍档案20")
		next := regexp.MustCompile(`href="([^"]+)" class="btn" id="next-page"`).FindStringSubmatch(r.Body)
		if next == nil {
			t.Fatal("no next page link")
		}
		r = c.get(strings.ReplaceAll(next[1], "&amp;", "&"))
		wantStatus(t, "page 2", r, http.StatusOK)
		wantBody(t, "page 2", r, "户籍档案20", "户籍档案22", "第一页")
		wantNoBody(t, "page 2", r, "户籍档案19", `id="next-page"`)
	})
}

// upload posts a file to the import form.
func (c *client) upload(path, token, name string, data []byte, fields ...string) response {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf_token", token)
	for i := 0; i+1 < len(fields); i += 2 {
		mw.WriteField(fields[i], fields[i+1])
	}
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		c.t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	req, err := http.NewRequest("POST", c.f.srv.URL+path, &body)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

func TestCatalogImportExport(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		tok := c.login("police.admin")
		createEntry(t, c, entryForm(tok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes", "姓名", "C", "50", "no"))

		wantBody(t, "list buttons", c.get("/catalog"), `href="/catalog/import"`, `href="/catalog/export?format=xlsx&amp;sort=relevance&amp;status=published"`)
		r := c.get("/catalog/export?format=csv")
		wantStatus(t, "export csv", r, http.StatusOK)
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Errorf("export Content-Type = %q", ct)
		}
		if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") {
			t.Errorf("export Content-Disposition = %q", cd)
		}
		wantBody(t, "export csv", r, "户籍人口基本信息", "公民身份号码")
		x := c.get("/catalog/export?format=xlsx")
		wantStatus(t, "export xlsx", x, http.StatusOK)
		if !strings.HasPrefix(x.Body, "PK") {
			t.Errorf("the XLSX export is not a zip file")
		}
		wantStatus(t, "export pdf", c.get("/catalog/export?format=pdf"), http.StatusBadRequest)
		j := c.get("/catalog/export?format=jsonl")
		wantStatus(t, "export jsonl", j, http.StatusOK)
		if ct := j.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/jsonl") {
			t.Errorf("jsonl export Content-Type = %q", ct)
		}
		wantBody(t, "export jsonl", j, `"name":"户籍人口基本信息"`)
		wantBody(t, "list buttons", c.get("/catalog"), `href="/catalog/export?format=jsonl&amp;sort=relevance&amp;status=published"`)
		wantBody(t, "import page names every format", c.get("/catalog/import"), "JSON Lines（.jsonl")
		r = c.upload("/catalog/import", tok, "catalog.jsonl", []byte(j.Body), "dry_run", "yes")
		wantStatus(t, "dry run of the jsonl export", r, http.StatusOK)
		wantBody(t, "dry run of the jsonl export", r, "试导入，未保存任何数据")

		wantStatus(t, "import page", c.get("/catalog/import"), http.StatusOK)
		r = c.upload("/catalog/import", "forged", "catalog.csv", []byte(r.Body))
		wantStatus(t, "import without CSRF", r, http.StatusForbidden)

		csv := c.get("/catalog/export?format=csv").Body
		r = c.upload("/catalog/import", tok, "catalog.csv", []byte(csv), "dry_run", "yes")
		wantStatus(t, "dry run", r, http.StatusOK)
		wantBody(t, "dry run", r, "导入报告", "试导入，未保存任何数据")

		bad := "数据资源名称,更新周期,共享类型\n户籍迁移登记,按月,随便\n"
		r = c.upload("/catalog/import", tok, "bad.csv", []byte(bad))
		wantStatus(t, "bad import", r, http.StatusUnprocessableEntity)
		wantBody(t, "bad import", r, `id="import-errors"`, "未导入任何数据")
		if n := countEntries(t, db); n != 1 {
			t.Errorf("entries after a rejected import: %d, want 1", n)
		}
		r = c.upload("/catalog/import", tok, "catalog.pdf", []byte("%PDF"))
		wantStatus(t, "pdf import", r, http.StatusUnprocessableEntity)
		wantBody(t, "pdf import", r, "只能导入")
	})
}

var servicesTextRE = regexp.MustCompile(`(?s)<textarea id="f-services" name="service_items"[^>]*>(.*?)</textarea>`)

// TestCatalogFormServiceItems: the form reads service items in the written
// form of the workbook's 关联事项 (catalog.ParseServiceItems) and shows them
// in it, so that a name with ； or a bracketed number stays one name, and
// saving the edit form as shown keeps every item as it was.
func TestCatalogFormServiceItems(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		tok := c.login("police.admin")
		by := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test",
			DepartmentID: f.depts["公安分局"].ID}, Editor: true}
		want := []catalog.ServiceItem{{Name: "事项B；带分号"}, {Name: "户口登记（123）"},
			{Name: "户口迁移", Code: "11440605MB2C001"}, {Name: "结婚登记（内地居民）"}}
		form := entryForm(tok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes")
		form.Set("service_items", "事项B\\；带分号\n户口登记\\（123）\n户口迁移（11440605MB2C001）\n结婚登记（内地居民）")
		path := createEntry(t, c, form)
		id, _ := strconv.ParseInt(strings.TrimPrefix(path, "/catalog/"), 10, 64)
		stored := func(what string) {
			t.Helper()
			e, err := catalog.Get(context.Background(), db.Read(), by, id)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(e.ServiceItems, want) {
				t.Errorf("%s: service items %+v, want %+v", what, e.ServiceItems, want)
			}
		}
		stored("created")

		r := c.get(path + "/edit")
		m := servicesTextRE.FindStringSubmatch(r.Body)
		if m == nil {
			t.Fatalf("edit form without the service items:\n%s", r.Body)
		}
		form.Set("service_items", html.UnescapeString(strings.TrimPrefix(m[1], "\n")))
		postOK(t, c, path+"/edit", form, path+"?msg=unchanged")
		stored("saved as shown")
	})
}
