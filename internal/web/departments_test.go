package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestOrgPageMarksInvalidCode: a department stored before eighteen digits
// with a wrong check character were refused keeps its code, and the
// departments' list marks it beside the code for the operator to check;
// the departments with valid codes are not marked.
func TestOrgPageMarksInvalidCode(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		if _, err := db.Write().ExecContext(t.Context(), `INSERT INTO departments (name, short_name, uscc, region_code, is_operator, created_at)
			VALUES ('南海区旧数字代码单位', '', '114406051154099990', '440605', false, $1)`, f.clock.Now()); err != nil {
			t.Fatal(err)
		}
		c := f.loggedIn(t, "operator")
		r := c.get("/org")
		wantStatus(t, "GET /org", r, http.StatusOK)
		const mark = "统一社会信用代码校验位有误，请核对"
		if n := strings.Count(r.Body, mark); n != 1 {
			t.Errorf("GET /org: %d marks, want 1 (the department stored with 114406051154099990)", n)
		}
		if !strings.Contains(r.Body, `<td class="mono">114406051154099990 <span class="tag tag-warn"`) {
			t.Errorf("GET /org: the mark is not beside 114406051154099990\n%s", r.Body)
		}
		for name, d := range f.depts {
			if !strings.Contains(r.Body, `<td class="mono">`+d.USCC+`</td>`) {
				t.Errorf("GET /org: %s's code %s is not shown unmarked", name, d.USCC)
			}
		}
	})
}

// TestCreateDepartment: the operator adds a department from 部门与账号's
// 新增部门, as POST /api/v1/departments does (department.create, its
// name and code), its parent named as the app form names a department; a
// form with problems tells them all at once beside their fields, the
// typed values kept, and creates nothing; no other role may.
func TestCreateDepartment(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		op := f.client(t)
		token := op.login("operator")
		wantBody(t, "/org", op.get("/org"), `href="/org/departments/new"`)
		r := op.get("/org/departments/new")
		wantStatus(t, "the form", r, http.StatusOK)
		wantBody(t, "the form", r, `<option value="440605">南海区（县区级） 440605</option>`)

		depts := count(t, db, `SELECT count(*) FROM departments`)
		fieldRE := func(field string) *regexp.Regexp {
			return regexp.MustCompile(`name="` + field + `"[^>]*aria-invalid="true"`)
		}
		for _, c := range []struct {
			what   string
			form   url.Values
			status int
			fields map[string]string
		}{
			{"everything wrong", url.Values{"name": {" "}, "short_name": {"简称\x00"}, "uscc": {"114406051154099990"}, "region": {""},
				"parent": {"无此部门"}}, http.StatusBadRequest, map[string]string{"name": "部门名称不能为空", "short_name": "部门简称含有控制字符",
				"uscc": "校验码错误", "region": "请选择行政区划", "parent": "没有名称、简称或统一社会信用代码为“无此部门”的部门"}},
			{"a parent too long", url.Values{"name": {"南海区教育局"}, "uscc": {uscc(t, "MB2E0001")}, "region": {"440605"},
				"parent": {strings.Repeat("部", 101)}}, http.StatusBadRequest, map[string]string{"parent": "上级部门不能超过 100 个字"}},
			{"a region not listed", url.Values{"name": {"南海区教育局"}, "uscc": {uscc(t, "MB2E0001")}, "region": {"110000"}},
				http.StatusBadRequest, map[string]string{"region": "行政区划不存在，请从列表中选择"}},
			{"a code taken", url.Values{"name": {"南海区教育局"}, "uscc": {f.depts["公安分局"].USCC}, "region": {"440605"}},
				http.StatusConflict, map[string]string{"uscc": "统一社会信用代码 " + f.depts["公安分局"].USCC + " 已是部门“佛山市公安局南海分局”的统一社会信用代码"}},
			{"a name taken", url.Values{"name": {"佛山市公安局南海分局"}, "uscc": {uscc(t, "MB2E0001")}, "region": {"440605"}},
				http.StatusConflict, map[string]string{"name": "本行政区划已有名为“佛山市公安局南海分局”的部门"}},
		} {
			c.form.Set("csrf_token", token)
			r := op.post("/org/departments/new", c.form)
			wantStatus(t, c.what, r, c.status)
			wantBody(t, c.what, r, fmt.Sprintf(`<p><strong>有 %d 处需要修改：</strong></p>`, len(c.fields)))
			for field, msg := range c.fields {
				if !regexp.MustCompile(`<span class="field-error" id="[^"]+">[^<]*` + regexp.QuoteMeta(msg)).MatchString(r.Body) {
					t.Errorf("%s: no %q beside %s", c.what, msg, field)
				}
				if !fieldRE(field).MatchString(r.Body) {
					t.Errorf("%s: %s not marked invalid", c.what, field)
				}
			}
			for _, field := range []string{"name", "uscc", "parent"} {
				if v := strings.TrimSpace(c.form.Get(field)); v != "" {
					wantBody(t, c.what, r, `value="`+v+`"`)
				}
			}
		}
		if n := count(t, db, `SELECT count(*) FROM departments`); n != depts {
			t.Fatalf("departments after refused forms: %d, want %d", n, depts)
		}

		// The region's code as sent with full-width digits and a zero-width
		// space is 440605 (text.FoldCode).
		code := uscc(t, "MB2E0001")
		r = op.post("/org/departments/new", url.Values{"csrf_token": {token}, "name": {" 佛山市南海区教育局 "}, "short_name": {"教育局"},
			"uscc": {code}, "region": {"４４０６０５\u200b"}, "parent": {"数管局"}})
		if r.Status != http.StatusSeeOther || r.Location != "/org?msg=department_created#departments" {
			t.Fatalf("create: %d to %q\n%s", r.Status, r.Location, r.Body)
		}
		wantBody(t, "after creating", op.get(r.Location), "部门已新增。", "佛山市南海区教育局")
		d, err := org.DepartmentByRef(t.Context(), db.Read(), code)
		if err != nil || d.Name != "佛山市南海区教育局" || d.ShortName != "教育局" || d.RegionCode != "440605" || d.ParentID != f.depts["数管局"].ID {
			t.Errorf("the new department: %+v %v", d, err)
		}
		rows, _, err := audit.List(t.Context(), db.Read(), audit.Filter{Action: "department.create", Outcome: audit.OK, Limit: 1})
		if err != nil || len(rows) != 1 || rows[0].Actor.Name != "operator" || rows[0].ObjectID != strconv.FormatInt(d.ID, 10) ||
			rows[0].Detail != `{"name":"佛山市南海区教育局","uscc":"`+code+`"}` {
			t.Errorf("department.create row: %+v %v", rows, err)
		}
		// An early code with letters and a wrong check character is taken, and the operator told.
		r = op.post("/org/departments/new", url.Values{"csrf_token": {token}, "name": {"南海区旧代码单位"}, "uscc": {"91350100M0001TGQXM"}, "region": {"440605"}})
		if r.Status != http.StatusSeeOther || r.Location != "/org?msg=department_warned#departments" {
			t.Fatalf("create with a warning: %d to %q\n%s", r.Status, r.Location, r.Body)
		}
		wantBody(t, "after the warning", op.get(r.Location), "校验位、登记管理部门或行政区划码", "请与该部门核对", "代码需核对")
		// A correct check character but an organisation code inside that fails its own: told too, not as a wrong check character.
		r = op.post("/org/departments/new", url.Values{"csrf_token": {token}, "name": {"南海区某组织"}, "uscc": {"91440605MA4UXXXX0C"}, "region": {"440605"}})
		if r.Status != http.StatusSeeOther || r.Location != "/org?msg=department_warned#departments" {
			t.Fatalf("create with an organisation code failing: %d to %q\n%s", r.Status, r.Location, r.Body)
		}

		for _, who := range []string{"police.admin", "reviewer", "auditor"} {
			c := f.loggedIn(t, who)
			wantStatus(t, who+"'s form", c.get("/org/departments/new"), http.StatusForbidden)
			r := c.post("/org/departments/new", url.Values{"csrf_token": {c.csrf()}, "name": {"越权部门"}, "uscc": {uscc(t, "MB2E0002")}, "region": {"440605"}})
			wantStatus(t, who+" creates", r, http.StatusForbidden)
			rows, _, err := audit.List(t.Context(), db.Read(), audit.Filter{Outcome: audit.Denied, Limit: 1})
			if err != nil || len(rows) != 1 || rows[0].Action != "department.create" || rows[0].Actor.Name != who {
				t.Errorf("%s creates: denied rows %+v %v", who, rows, err)
			}
		}
		if n := count(t, db, `SELECT count(*) FROM departments`); n != depts+3 {
			t.Errorf("departments: %d, want %d", n, depts+3)
		}
	})
}

// TestEditDepartment: the operator renames a department whose stored code
// fails the check from 部门与账号's 修改, its code left as it is, then
// corrects the code, as PUT /api/v1/departments/{id} does (a
// department.update row each); a form with problems tells them all
// beside their fields, the typed values kept, and changes nothing; no
// other role may.
func TestEditDepartment(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		var bad int64
		if err := db.Write().QueryRowContext(t.Context(), `INSERT INTO departments (name, short_name, uscc, region_code, is_operator, created_at)
			VALUES ('南海区旧数字代码单位', '', '114406051154099990', '440605', false, $1) RETURNING id`, f.clock.Now()).Scan(&bad); err != nil {
			t.Fatal(err)
		}
		edit := "/org/departments/" + strconv.FormatInt(bad, 10) + "/edit"
		op := f.client(t)
		token := op.login("operator")
		wantBody(t, "/org", op.get("/org"), `href="`+edit+`"`)
		r := op.get(edit)
		wantStatus(t, "the form", r, http.StatusOK)
		wantBody(t, "the form", r, `value="南海区旧数字代码单位"`, `value="114406051154099990"`, "校验位与前17位不符")

		stored := func() string {
			d, err := org.DepartmentByID(t.Context(), db.Read(), bad)
			if err != nil {
				t.Fatal(err)
			}
			return d.Name + " " + d.USCC
		}
		for _, c := range []struct {
			what   string
			name   string
			code   string
			status int
			fields map[string]string
		}{
			{"no name, a new code that fails", " ", "114406051154099991", http.StatusBadRequest,
				map[string]string{"name": "部门名称不能为空", "uscc": "校验码错误"}},
			{"another department's code", "南海区旧数字代码单位", f.depts["公安分局"].USCC, http.StatusConflict,
				map[string]string{"uscc": "统一社会信用代码 " + f.depts["公安分局"].USCC + " 已是部门“佛山市公安局南海分局”的统一社会信用代码"}},
			{"another department's name", "佛山市公安局南海分局", "114406051154099990", http.StatusConflict,
				map[string]string{"name": "本行政区划已有名为“佛山市公安局南海分局”的部门"}},
		} {
			r := op.post(edit, url.Values{"csrf_token": {token}, "name": {c.name}, "uscc": {c.code}})
			wantStatus(t, c.what, r, c.status)
			wantBody(t, c.what, r, fmt.Sprintf(`<p><strong>有 %d 处需要修改：</strong></p>`, len(c.fields)), `value="`+c.code+`"`)
			for field, msg := range c.fields {
				if !regexp.MustCompile(`name="` + field + `"[^>]*aria-invalid="true"><span class="field-error" id="[^"]+">[^<]*` + regexp.QuoteMeta(msg)).MatchString(r.Body) {
					t.Errorf("%s: %s not marked invalid with %q", c.what, field, msg)
				}
			}
		}
		if got := stored(); got != "南海区旧数字代码单位 114406051154099990" {
			t.Fatalf("after refused forms: %s", got)
		}

		r = op.post(edit, url.Values{"csrf_token": {token}, "name": {"南海区旧代码单位"}, "uscc": {"114406051154099990"}})
		if r.Status != http.StatusSeeOther || r.Location != "/org?msg=department_updated#departments" {
			t.Fatalf("rename: %d to %q\n%s", r.Status, r.Location, r.Body)
		}
		wantBody(t, "after renaming", op.get(r.Location), "部门信息已修改。", "南海区旧代码单位")
		code := uscc(t, "MB2E0003")
		r = op.post(edit, url.Values{"csrf_token": {token}, "name": {"南海区旧代码单位"}, "uscc": {code}})
		wantStatus(t, "correct the code", r, http.StatusSeeOther)
		if got := stored(); got != "南海区旧代码单位 "+code {
			t.Errorf("after the changes: %s", got)
		}
		wantNoBody(t, "the corrected form", op.get(edit), "校验位与前17位不符")
		// Saved as stored, or with the code's case and spaces changed only: nothing changed, no row, and told so.
		for _, c := range []string{code, " " + strings.ToLower(code) + " "} {
			r = op.post(edit, url.Values{"csrf_token": {token}, "name": {"南海区旧代码单位"}, "uscc": {c}})
			if r.Status != http.StatusSeeOther || r.Location != "/org?msg=department_unchanged#departments" {
				t.Fatalf("unchanged, code %q: %d to %q\n%s", c, r.Status, r.Location, r.Body)
			}
			page := op.get(r.Location)
			wantBody(t, "after saving unchanged", page, "未作修改")
			wantNoBody(t, "after saving unchanged", page, "部门信息已修改")
		}
		rows, _, err := audit.List(t.Context(), db.Read(), audit.Filter{Action: "department.update"})
		if err != nil || len(rows) != 2 || rows[1].Detail != `{"name":"南海区旧代码单位","old_name":"南海区旧数字代码单位"}` ||
			rows[0].Detail != `{"old_uscc":"114406051154099990","uscc":"`+code+`"}` || rows[0].Actor.Name != "operator" {
			t.Errorf("department.update rows: %+v %v", rows, err)
		}

		for _, who := range []string{"police.admin", "reviewer", "auditor"} {
			c := f.loggedIn(t, who)
			wantStatus(t, who+"'s form", c.get(edit), http.StatusForbidden)
			r := c.post(edit, url.Values{"csrf_token": {c.csrf()}, "name": {"越权"}, "uscc": {code}})
			wantStatus(t, who+" edits", r, http.StatusForbidden)
			rows, _, err := audit.List(t.Context(), db.Read(), audit.Filter{Outcome: audit.Denied, Limit: 1})
			if err != nil || len(rows) != 1 || rows[0].Action != "department.update" || rows[0].ObjectID != strconv.FormatInt(bad, 10) ||
				rows[0].Actor.Name != who {
				t.Errorf("%s edits: denied rows %+v %v", who, rows, err)
			}
		}
		// A code changed to an early one with letters and a wrong check character is taken, and the operator told.
		r = op.post(edit, url.Values{"csrf_token": {token}, "name": {"南海区旧代码单位"}, "uscc": {"91350100M0001TGQXM"}})
		if r.Status != http.StatusSeeOther || r.Location != "/org?msg=department_updated_warned#departments" {
			t.Fatalf("a code taken with a warning: %d to %q\n%s", r.Status, r.Location, r.Body)
		}
		wantBody(t, "after the warned change", op.get(r.Location), "部门信息已修改。其统一社会信用代码有需要核对之处", "请与该部门核对")
		// The warnings stay on the department's page, not only in the notice after saving.
		wantBody(t, "the form after the warned change", op.get(edit), `id="uscc-warnings"`, "校验码不符", "登记管理部门代码）为 9")
		// A rename that leaves the warned code as stored is not told of it again.
		r = op.post(edit, url.Values{"csrf_token": {token}, "name": {"南海区旧代码单位（更名）"}, "uscc": {"91350100M0001TGQXM"}})
		if r.Status != http.StatusSeeOther || r.Location != "/org?msg=department_updated#departments" {
			t.Errorf("a rename keeping the warned code: %d to %q, want department_updated", r.Status, r.Location)
		}
		wantStatus(t, "an unknown department", op.get("/org/departments/999999/edit"), http.StatusNotFound)
	})
}
