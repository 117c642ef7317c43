package api_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestBodyKeyExact: a key of a request body that names a field only in
// another case (Username for username, NAME for name), which
// encoding/json took for the field, is refused 400 unknown_field naming
// it, as a key naming no field is, at the top and in a nested object; a
// key given twice, of which encoding/json kept the last, 400
// duplicate_field naming it. Nothing is created.
func TestBodyKeyExact(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		uscc := `"uscc":"` + demo.USCC("440605", 97) + `","region_code":"440605"`
		users, depts := f.count(t, "users"), f.count(t, "departments")
		for _, c := range []struct{ path, body, code, field string }{
			{"/api/v1/users", `{"Username":"x.case","display_name":"某","department_id":1,"role":"reviewer","password":"Correct-Horse-10"}`, "unknown_field", "Username"},
			{"/api/v1/departments", `{"NAME":"南海区大小写局",` + uscc + `}`, "unknown_field", "NAME"},
			{"/api/v1/departments", `{"name":"南海区甲局","Name":"南海区乙局",` + uscc + `}`, "unknown_field", "Name"},
			{"/api/v1/departments", `{"name":"南海区甲局","name":"南海区乙局",` + uscc + `}`, "duplicate_field", "name"},
			{"/api/v1/departments", `{"name":"南海区甲局","n\u0061me":"南海区乙局",` + uscc + `}`, "duplicate_field", "name"},
		} {
			r := f.do(t, "POST", c.path, f.opKey, c.body)
			if r.status != 400 || r.body["code"] != c.code || r.body["field"] != c.field || !strings.Contains(textOf(r.body["detail"]), c.field) {
				t.Errorf("%s %s: %d %v, want 400 %s naming %s", c.path, c.body, r.status, r.body, c.code, c.field)
			}
		}
		if u, d := f.count(t, "users"), f.count(t, "departments"); u != users || d != depts {
			t.Errorf("refused bodies created %d users, %d departments", u-users, d-depts)
		}
	})
}

// TestBodyKeyExactNested: a nested object's key in another case
// (items[1].NAME) is refused as an unknown field of the item, listed
// with the others by path, where encoding/json took it for the item's
// name.
func TestBodyKeyExactNested(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin := f.session(t, "mz.admin")
		n := countEntries(t, db)
		body := strings.Replace(marriageEntry, `{"name":"男方姓名"`, `{"NAME":"男方姓名"`, 1)
		if body == marriageEntry {
			t.Fatal("marriageEntry has no item 男方姓名 to recase")
		}
		r := f.do(t, "POST", "/api/v1/catalog/entries", "", body, admin...)
		if r.status != 400 || r.body["code"] != "unknown_field" || r.body["field"] != "items[1].NAME" {
			t.Errorf("POST with items[1].NAME: %d %v, want 400 unknown_field on items[1].NAME", r.status, r.body)
		}
		if m := countEntries(t, db); m != n {
			t.Errorf("refused POST created %d entries, want none", m-n)
		}
	})
}

// TestImportMappingKeyExact: an import's mapping part naming a field in
// another case (Defaults), which encoding/json took for defaults, or a
// default twice, of which it kept the last, is refused as one naming no
// field is (400 malformed_json on mapping); nothing is imported.
func TestImportMappingKeyExact(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		key := catalogKey(t, f)
		for _, mapping := range []string{
			`{"columns":{},"Defaults":{"所属领域":"民政","数据类型":"C","长度":"18"}}`,
			`{"columns":{},"defaults":{"所属领域":"民政","数据类型":"C","长度":"18","长度":"20"}}`,
		} {
			status, body := multipartImport(t, f, key, "", part{name: "mapping", body: mapping},
				part{name: "file", file: "目录.csv", body: importCSV})
			if status != 400 || body["code"] != "malformed_json" || body["field"] != "mapping" {
				t.Errorf("mapping %s: %d %v, want 400 malformed_json of mapping", mapping, status, body)
			}
		}
		if n := countEntries(t, db); n != 0 {
			t.Errorf("refused imports stored %d entries", n)
		}
	})
}
