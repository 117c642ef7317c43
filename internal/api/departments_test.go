package api_test

import (
	"testing"

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
