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
	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

var (
	optionRE   = regexp.MustCompile(`<option value="([^"]*)">`)
	datalistRE = regexp.MustCompile(`(?s)<datalist id="app-dept-list">.*?</datalist>`)
	choiceRE   = regexp.MustCompile(`<li><span class="mono">([^<]*)</span>`)
)

// TestAppDepartment: the operator's create form names the app's
// department in a text field, not a list of every department: htmx asks
// /apps/departments for at most 20 suggestions as they type (by a part of
// the name or short name, the organisation page's search), and the server
// resolves what is sent (credit code, name, short name). Text that names
// no department, or several (names and short names repeat across
// regions), shows the form again with a Chinese error and the departments
// to choose from, and creates nothing. A department's administrator has
// no such field and creates for their own department only.
func TestAppDepartment(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		by := audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"}
		extra := []org.Department{
			{Name: "佛山市公安局南海分局", ShortName: "市公安南海", RegionCode: "440600"}, // the name of 公安分局, in the city
			{Name: "佛山市南海区档案馆", ShortName: "档案馆", RegionCode: "440605"},
			{Name: "佛山市档案馆", ShortName: "档案馆", RegionCode: "440600"}, // the short name of 南海's, in another region
		}
		for i := range 30 {
			extra = append(extra, org.Department{Name: fmt.Sprintf("测试部门%02d", i), RegionCode: "440605"})
		}
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			for i := range extra {
				extra[i].USCC = demo.USCC("440605", i+1)
				if err := org.CreateDepartment(ctx, tx, by, &extra[i], f.clock.Now()); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		op := f.client(t)
		token := op.login("operator")

		// The form: a text field holding the operator's department, with
		// an empty list of suggestions; no department listed.
		r := op.get("/apps")
		wantStatus(t, "GET /apps", r, http.StatusOK)
		wantBody(t, "GET /apps", r, `<input id="app-dept" name="department" type="text" list="app-dept-list" value="佛山市南海区政务服务数据管理局"`,
			`hx-get="/apps/departments"`, `<datalist id="app-dept-list"></datalist>`, `aria-describedby="app-dept-hint"`, "最多列出 20 个")
		wantNoBody(t, "GET /apps", r, "<select", "测试部门00", "<option")

		// Suggestions, by a part of the name or short name, 20 at most;
		// two of one name are told apart by their credit codes.
		for _, c := range []struct {
			q    string
			want []string
		}{
			{"测试部门0", []string{"测试部门00", "测试部门01", "测试部门02", "测试部门03", "测试部门04", "测试部门05", "测试部门06",
				"测试部门07", "测试部门08", "测试部门09"}},
			{"市场", []string{"佛山市南海区市场监督管理局"}},
			{"南海分局", []string{f.depts["公安分局"].USCC, extra[0].USCC}},
			{"档案馆", []string{"佛山市南海区档案馆", "佛山市档案馆"}},
			{"无此部门", nil},
			{"", nil},
		} {
			what := "suggest " + c.q
			r := op.get("/apps/departments?department="+url.QueryEscape(c.q), "HX-Request", "true")
			wantStatus(t, what, r, http.StatusOK)
			wantNoBody(t, what, r, "<html", "<form")
			if got := matches(optionRE, r.Body); fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("%s: options %v, want %v", what, got, c.want)
			}
		}
		r = op.get("/apps/departments?department="+url.QueryEscape("测试"), "HX-Request", "true")
		if got := matches(optionRE, r.Body); len(got) != 20 {
			t.Errorf("suggest 测试: %d options, want 20 of 30", len(got))
		}
		wantBody(t, "suggest 测试部门", r, "<option value=\"测试部门00\">南海区 · "+extra[3].USCC+"</option>")
		r = op.get("/apps/departments?department=%00", "HX-Request", "true")
		wantStatus(t, "suggest NUL", r, http.StatusBadRequest)
		r = op.get("/apps/departments?department=x")
		if r.Status != http.StatusSeeOther || r.Location != "/apps#new-app" {
			t.Errorf("suggestions without htmx: got %d to %q, want 303 to /apps#new-app", r.Status, r.Location)
		}

		// Creating by full name, short name or credit code.
		for _, c := range []struct {
			name, dept string
			want       int64
		}{
			{"按全称", "佛山市南海区市场监督管理局", f.depts["市场监管局"].ID},
			{"按简称", " 市场监管局 ", f.depts["市场监管局"].ID},
			{"按代码", extra[1].USCC, extra[1].ID},
			{"同名按代码", f.depts["公安分局"].USCC, f.depts["公安分局"].ID},
			{"本部门", "", f.depts["数管局"].ID},
		} {
			r := op.post("/apps", url.Values{"csrf_token": {token}, "name": {c.name}, "scopes": {"catalog.read"}, "department": {c.dept}})
			wantStatus(t, "create "+c.name, r, http.StatusCreated)
			apps, _, err := org.FindApps(ctx, db.Read(), org.AppFilter{Q: c.name})
			if err != nil {
				t.Fatal(err)
			}
			if len(apps) != 1 || apps[0].DepartmentID != c.want {
				t.Errorf("create %s for %q: %+v, want an app of department %d", c.name, c.dept, apps, c.want)
			}
		}

		// Text that names no department or several: the form again, with
		// what was typed, a Chinese error and the choices; nothing created.
		apps := count(t, db, `SELECT count(*) FROM apps`)
		rows := count(t, db, `SELECT count(*) FROM audit_log`)
		for _, c := range []struct {
			dept, msg string
			choices   []string
		}{
			{"无此部门", "没有名称、简称或统一社会信用代码为“无此部门”的部门，请检查后重新填写", nil},
			{"市场监督", "请从下列名称或简称含有“市场监督”的部门中选择，照所列填写名称或统一社会信用代码", []string{"佛山市南海区市场监督管理局"}},
			{"佛山市公安局南海分局", "名称或简称为“佛山市公安局南海分局”的部门不止一个，请从下列部门中选择，填写其统一社会信用代码",
				[]string{f.depts["公安分局"].USCC, extra[0].USCC}},
			{"档案馆", "名称或简称为“档案馆”的部门不止一个", []string{extra[1].USCC, extra[2].USCC}},
			{"档 案馆", "没有名称或简称恰为“档 案馆”的部门，名称或简称与之看起来相同的部门不止一个", []string{extra[1].USCC, extra[2].USCC}},
			{"11440605MB2C12340X", "没有名称、简称或统一社会信用代码为“11440605MB2C12340X”的部门", nil},
		} {
			what := "department " + c.dept
			r := op.post("/apps", url.Values{"csrf_token": {token}, "name": {"新系统"}, "description": {"说明"},
				"scopes": {"data.read", "audit.read"}, "department": {c.dept}})
			wantStatus(t, what, r, http.StatusBadRequest)
			wantBody(t, what, r, `<div class="alert" role="alert" id="form-errors">`, `<span class="field-error" id="app-dept-error">`, c.msg,
				`value="`+c.dept+`"`, `aria-describedby="app-dept-error app-dept-hint" aria-invalid="true"`, `value="新系统"`, ">说明</textarea>",
				`value="audit.read" checked`)
			if !regexp.MustCompile(`<span class="field-error" id="app-dept-error">[^<]*` + regexp.QuoteMeta(c.msg)).MatchString(r.Body) {
				t.Errorf("%s: %q not beside the field", what, c.msg)
			}
			if got := matches(choiceRE, r.Body); fmt.Sprint(got) != fmt.Sprint(c.choices) {
				t.Errorf("%s: choices %v, want %v", what, got, c.choices)
			}
			// The suggestions are the datalist's options, not the list's
			// department filter's.
			if got := matches(optionRE, datalistRE.FindString(r.Body)); fmt.Sprint(got) != fmt.Sprint(c.choices) {
				t.Errorf("%s: suggestions %v, want %v", what, got, c.choices)
			}
		}
		for _, dept := range []string{"市场\x00监管局", strings.Repeat("部", 101)} {
			r := op.post("/apps", url.Values{"csrf_token": {token}, "name": {"新系统"}, "scopes": {"data.read"}, "department": {dept}})
			wantStatus(t, fmt.Sprintf("department %q", dept), r, http.StatusBadRequest)
			wantBody(t, fmt.Sprintf("department %q", dept), r, "所属部门")
		}
		if n := count(t, db, `SELECT count(*) FROM apps`); n != apps {
			t.Errorf("apps after refused departments: %d, want %d", n, apps)
		}
		if n := count(t, db, `SELECT count(*) FROM audit_log`); n != rows {
			t.Errorf("audit rows after refused departments: %d, want %d", n, rows)
		}

		// A department's administrator: no department field, no
		// suggestions, and apps of their own department only.
		admin := f.client(t)
		adminToken := admin.login("market.admin")
		r = admin.get("/apps")
		wantNoBody(t, "administrator's form", r, `id="app-dept"`, "<datalist")
		r = admin.get("/apps/departments?department="+url.QueryEscape("公安"), "HX-Request", "true")
		wantStatus(t, "administrator's suggestions", r, http.StatusForbidden)
		wantNoBody(t, "administrator's suggestions", r, "<option")
		for _, c := range []struct {
			dept   string
			status int
		}{
			{"", http.StatusCreated}, {"市场监管局", http.StatusCreated}, {f.depts["市场监管局"].USCC, http.StatusCreated},
			{"公安分局", http.StatusForbidden}, {"无此部门", http.StatusForbidden}, {"档案馆", http.StatusForbidden},
		} {
			r := admin.post("/apps", url.Values{"csrf_token": {adminToken}, "name": {"登记系统" + c.dept}, "scopes": {"catalog.read"},
				"department": {c.dept}})
			wantStatus(t, "administrator, department "+c.dept, r, c.status)
			if c.status == http.StatusForbidden {
				wantBody(t, "administrator, department "+c.dept, r, "只能管理本部门的应用")
				wantNoBody(t, "administrator, department "+c.dept, r, "<option", "不止一个")
			}
		}
		mine, err := org.Apps(ctx, db.Read(), f.depts["市场监管局"].ID)
		if err != nil {
			t.Fatal(err)
		}
		if n := count(t, db, `SELECT count(*) FROM apps WHERE name LIKE '登记系统%'`); n != 3 || len(mine) != 5 {
			t.Errorf("administrator's apps: %d created, %d of the department; want 3 and 5", n, len(mine))
		}
	})
}

// TestAppDepartmentOwnNameShared: the create form holds the operator's
// own department as something that names it alone: its credit code when
// another department (of another region) has its name, so that the form
// sent as shown creates the app for their department, as the <select> of
// departments did.
func TestAppDepartmentOwnNameShared(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		own := f.depts["数管局"]
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			d := org.Department{Name: own.Name, RegionCode: "440600", USCC: demo.USCC("440600", 1)}
			return org.CreateDepartment(ctx, tx, audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"}, &d, f.clock.Now())
		})
		if err != nil {
			t.Fatal(err)
		}
		op := f.client(t)
		token := op.login("operator")
		r := op.get("/apps")
		m := regexp.MustCompile(`<input id="app-dept" name="department" type="text" list="app-dept-list" value="([^"]*)"`).FindStringSubmatch(r.Body)
		if m == nil {
			t.Fatalf("GET /apps: no department field")
		}
		r = op.post("/apps", url.Values{"csrf_token": {token}, "name": {"默认部门"}, "scopes": {"catalog.read"}, "department": {m[1]}})
		wantStatus(t, "create with the department as shown ("+m[1]+")", r, http.StatusCreated)
		apps, _, err := org.FindApps(ctx, db.Read(), org.AppFilter{Q: "默认部门"})
		if err != nil {
			t.Fatal(err)
		}
		if len(apps) != 1 || apps[0].DepartmentID != own.ID {
			t.Errorf("app created with the department as shown: %+v, want one of department %d", apps, own.ID)
		}
	})
}

// TestAppFormProblems: the create form tells every problem at once, each
// beside its field and all in the summary, as the catalog form does, with
// what was typed kept; nothing is created. On both engines.
func TestAppFormProblems(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		op := f.client(t)
		token := op.login("operator")
		apps := count(t, db, `SELECT count(*) FROM apps`)
		fieldRE := func(field string) *regexp.Regexp {
			return regexp.MustCompile(`name="` + field + `"[^>]*aria-invalid="true"`)
		}
		for _, c := range []struct {
			what   string
			form   url.Values
			fields map[string]string // field: its message
		}{
			{"no name, no scopes", url.Values{"name": {" "}, "description": {"说明"}},
				map[string]string{"name": "应用名称不能为空", "scopes": "至少需要一个权限范围"}},
			{"and a department not found", url.Values{"name": {""}, "department": {"无此部门"}, "description": {"说明\x00"}},
				map[string]string{"name": "应用名称不能为空", "scopes": "至少需要一个权限范围", "department": "没有名称、简称或统一社会信用代码为“无此部门”的部门",
					"description": "应用说明含有控制字符"}},
		} {
			c.form.Set("csrf_token", token)
			r := op.post("/apps", c.form)
			wantStatus(t, c.what, r, http.StatusBadRequest)
			wantBody(t, c.what, r, fmt.Sprintf(`<p><strong>有 %d 处需要修改：</strong></p>`, len(c.fields)))
			for field, msg := range c.fields {
				wantFormMessage(t, c.what, r, msg)
				if field == "scopes" {
					wantBody(t, c.what, r, `<fieldset id="app-scopes" aria-describedby="app-scopes-error" aria-invalid="true">`)
				} else if !fieldRE(field).MatchString(r.Body) {
					t.Errorf("%s: %s not marked invalid", c.what, field)
				}
			}
			if d := c.form.Get("department"); d != "" {
				wantBody(t, c.what, r, `value="`+d+`"`)
			}
			wantBody(t, c.what, r, `>说明`)
		}
		if n := count(t, db, `SELECT count(*) FROM apps`); n != apps {
			t.Errorf("apps after refused forms: %d, want %d", n, apps)
		}
	})
}
