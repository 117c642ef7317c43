package api_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestStoredCodeInvalid: a department stored before eighteen digits with
// a wrong check character were refused keeps its code, and the list and
// the department's own answer mark it uscc_invalid, as the document says;
// a department with a valid code has no such field. Its code does not
// stand in the way of work on the department: an account is added to it.
func TestStoredCodeInvalid(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		var bad int64
		if err := db.Write().QueryRowContext(t.Context(), `INSERT INTO departments (name, short_name, uscc, region_code, is_operator, created_at)
			VALUES ('南海区旧数字代码单位', '', '114406051154099990', '440605', false, $1) RETURNING id`, t0).Scan(&bad); err != nil {
			t.Fatal(err)
		}
		doc := openAPIDoc(t)
		check := func(docPath, path string) map[string]any {
			t.Helper()
			r := f.do(t, "GET", path, f.opKey, "")
			if r.status != 200 {
				t.Fatalf("GET %s: %d %v", path, r.status, r.body)
			}
			schema := documentedResponse(t, doc, "GET", docPath, 200)["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)
			for _, e := range schemaErrors(doc, schema, r.body, "") {
				t.Errorf("GET %s: %s", path, e)
			}
			return r.body
		}
		marked := map[string]bool{}
		for _, it := range check("/api/v1/departments", "/api/v1/departments")["items"].([]any) {
			d := it.(map[string]any)
			if v, ok := d["uscc_invalid"]; ok {
				marked[d["uscc"].(string)] = v == true
			}
		}
		if len(marked) != 1 || !marked["114406051154099990"] {
			t.Errorf("listed departments marked uscc_invalid: %v, want only 114406051154099990", marked)
		}
		if d := check("/api/v1/departments/{id}", "/api/v1/departments/"+itoa(bad)); d["uscc_invalid"] != true || d["uscc"] != "114406051154099990" {
			t.Errorf("the department with a code whose check fails: %v, want uscc_invalid true and its code as stored", d)
		}
		if d := check("/api/v1/departments/{id}", "/api/v1/departments/"+itoa(f.deptID)); d["uscc_invalid"] != nil {
			t.Errorf("a department with a valid code: %v, want no uscc_invalid", d)
		}
		r := f.do(t, "POST", "/api/v1/users", f.opKey, `{"username":"old.admin","display_name":"管理员","department_id":`+itoa(bad)+
			`,"role":"dept_admin","password":"`+password+`"}`)
		if r.status != 201 {
			t.Errorf("an account in the department: %d %v, want 201", r.status, r.body)
		}
	})
}

// departmentCode is the stored credit code of department id.
func (f *fixture) departmentCode(t *testing.T, id int64) string {
	t.Helper()
	d, err := org.DepartmentByID(t.Context(), f.db.Read(), id)
	if err != nil {
		t.Fatal(err)
	}
	return d.USCC
}

// TestUpdateDepartment: the operator renames a department and corrects
// its credit code, and its short name when given, with PUT
// /api/v1/departments/{id}. A department whose
// stored code fails the check (uscc_invalid) is renamed with its code sent
// back as stored, in another case too; a new code is checked as a new
// department's is, and one another department has, like its name in the
// region, is department_exists on its field. Each change leaves a
// department.update row with the old and new values; a request that
// changes nothing leaves none; a caller without scope admin is refused
// and audited. The answers are checked against the document.
func TestUpdateDepartment(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		var bad int64
		if err := db.Write().QueryRowContext(t.Context(), `INSERT INTO departments (name, short_name, uscc, region_code, is_operator, created_at)
			VALUES ('南海区旧数字代码单位', '', '11440605MB2C9235XY', '440605', false, $1) RETURNING id`, t0).Scan(&bad); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Write().ExecContext(t.Context(), `UPDATE departments SET uscc = '114406051154099990' WHERE id = $1`, bad); err != nil {
			t.Fatal(err)
		}
		doc := openAPIDoc(t)
		path := "/api/v1/departments/" + itoa(bad)
		rows := func() []string {
			t.Helper()
			es, _, err := audit.List(t.Context(), db.Read(), audit.Filter{Action: "department.update"})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, e := range es {
				out = append(out, e.Outcome+" "+e.ObjectID+" "+e.Detail)
			}
			return out
		}
		put := func(key, body string, status int, code, field string) map[string]any {
			t.Helper()
			r := f.do(t, "PUT", path, key, body)
			gotField, _ := r.body["field"].(string)
			if r.status != status || (code != "" && (r.body["code"] != code || gotField != field)) {
				t.Fatalf("PUT %s: got %d %v, want %d %s on %q", body, r.status, r.body, status, code, field)
			}
			if status == 200 {
				schema := documentedResponse(t, doc, "PUT", "/api/v1/departments/{id}", 200)["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)
				for _, e := range schemaErrors(doc, schema, r.body, "") {
					t.Errorf("PUT %s: %s", body, e)
				}
			}
			return r.body
		}
		d := put(f.opKey, `{"name":"南海区旧代码单位","uscc":" 114406051154099990 "}`, 200, "", "")
		if d["name"] != "南海区旧代码单位" || d["uscc"] != "114406051154099990" || d["uscc_invalid"] != true {
			t.Errorf("renamed with its code as stored: %v", d)
		}
		put(f.opKey, `{"name":"南海区旧代码单位","uscc":"114406051154099990"}`, 200, "", "")
		put(f.opKey, `{"name":" ","uscc":"114406051154099990"}`, 400, "name_required", "name")
		put(f.opKey, `{"name":"南海区旧代码单位","uscc":"114406051154099991"}`, 400, "invalid_uscc", "uscc")
		// No code is told it is required, not that it has 0 of 18 characters; so on POST.
		for _, body := range []string{`{"name":"南海区旧代码单位"}`, `{"name":"南海区旧代码单位","uscc":"  "}`} {
			if r := put(f.opKey, body, 400, "uscc_required", "uscc"); r["detail"] != "统一社会信用代码不能为空" {
				t.Errorf("PUT %s: %v", body, r["detail"])
			}
		}
		if r := f.do(t, "POST", "/api/v1/departments", f.opKey, `{"name":"南海区新局","region_code":"440605"}`); r.status != 400 ||
			r.body["code"] != "uscc_required" || r.body["field"] != "uscc" || r.body["detail"] != "统一社会信用代码不能为空" {
			t.Errorf("POST without uscc: %d %v", r.status, r.body)
		}
		put(f.opKey, `{"name":"南海区旧代码单位","uscc":"`+f.departmentCode(t, f.otherID)+`"}`, 409, "department_exists", "uscc")
		put(f.opKey, `{"name":"南海区民政局","uscc":"114406051154099990"}`, 409, "department_exists", "name")
		put(f.readKey, `{"name":"越权","uscc":"114406051154099990"}`, 403, "forbidden", "")
		if r := f.do(t, "PUT", "/api/v1/departments/999999", f.opKey, `{"name":"某局","uscc":"x"}`); r.status != 404 || r.body["code"] != "department_not_found" {
			t.Errorf("PUT an unknown department: %d %v", r.status, r.body)
		}
		d = put(f.opKey, `{"name":"南海区旧代码单位","uscc":"91350100m0001tgqxm"}`, 200, "", "")
		if d["uscc"] != "91350100M0001TGQXM" || d["uscc_invalid"] != nil || fmt.Sprint(d["warnings"]) == "<nil>" {
			t.Errorf("its code corrected: %v, want the new code with its warning and no uscc_invalid", d)
		}
		warning := fmt.Sprint(d["warnings"].([]any)[0])
		// A short name is changed only when given; blank would remove it.
		put(f.opKey, `{"name":"南海区旧代码单位","short_name":"旧\u0007代码","uscc":"91350100M0001TGQXM"}`, 400, "invalid_characters", "short_name")
		if d = put(f.opKey, `{"name":"南海区旧代码单位","short_name":" 旧代码 ","uscc":"91350100M0001TGQXM"}`, 200, "", ""); d["short_name"] != "旧代码" {
			t.Errorf("short name given: %v", d)
		}
		if d = put(f.opKey, `{"name":"南海区旧代码单位","uscc":"91350100M0001TGQXM"}`, 200, "", ""); d["short_name"] != "旧代码" {
			t.Errorf("short name left out: %v, want it kept", d)
		}
		want := []string{
			"ok " + itoa(bad) + ` {"old_short_name":"","short_name":"旧代码"}`,
			"ok " + itoa(bad) + ` {"old_uscc":"114406051154099990","uscc":"91350100M0001TGQXM","uscc_warnings":"` + warning + `"}`,
			"denied " + itoa(bad) + ` {"reason":"forbidden"}`,
			"ok " + itoa(bad) + ` {"name":"南海区旧代码单位","old_name":"南海区旧数字代码单位"}`,
		}
		if got := rows(); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("department.update rows:\n%q\nwant\n%q", got, want)
		}
	})
}

// TestCreateDepartmentReferences: POST /api/v1/departments refuses a
// region_code left out, empty or unknown, and a parent_id of no
// department, each on its field, as the console's form does; nothing is
// created. The refusals are documented.
func TestCreateDepartmentReferences(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		doc := openAPIDoc(t)
		const dept = `"name":"南海区某局","uscc":"11440605115408225U"`
		for _, tt := range []struct {
			body, code, field, message string
		}{
			{`{` + dept + `}`, "region_required", "region_code", "请选择行政区划"},
			{`{` + dept + `,"region_code":" "}`, "region_required", "region_code", "请选择行政区划"},
			{`{` + dept + `,"region_code":"999999"}`, "unknown_region", "region_code", "行政区划不存在：999999"},
			{`{` + dept + `,"region_code":"440605","parent_id":9999}`, "unknown_department", "parent_id", "上级部门不存在：9999"},
			{`{` + dept + `,"region_code":"440605","parent_id":-5}`, "unknown_department", "parent_id", "上级部门不存在：-5"},
		} {
			r := f.do(t, "POST", "/api/v1/departments", f.opKey, tt.body)
			if r.status != 400 || r.body["code"] != tt.code || r.body["field"] != tt.field || r.body["detail"] != tt.message {
				t.Errorf("POST %s: %d %v, want 400 %s on %s: %s", tt.body, r.status, r.body, tt.code, tt.field, tt.message)
				continue
			}
			if desc, _ := documentedResponse(t, doc, "POST", "/api/v1/departments", 400)["description"].(string); !strings.Contains(desc, tt.code) {
				t.Errorf("POST /api/v1/departments: 400 does not name %s: %q", tt.code, desc)
			}
		}
		r := f.do(t, "POST", "/api/v1/departments", f.opKey, `{`+dept+`,"region_code":"440605","parent_id":`+itoa(f.otherID)+`}`)
		if r.status != 201 || r.body["parent_id"] != float64(f.otherID) {
			t.Errorf("a department with a region and a parent: %d %v", r.status, r.body)
		}
	})
}
