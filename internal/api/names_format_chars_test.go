package api_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// formatChars are Unicode format characters (Cf) as JSON escapes: a
// zero-width space, a BOM, a right-to-left override, a zero-width joiner,
// a soft hyphen and a left-to-right isolate.
var formatChars = []string{`\u200b`, `\ufeff`, `\u202e`, `\u200d`, `\u00ad`, `\u2066`}

// TestNamesFormatCharactersRefused: a region's, a department's, an
// account's or an app's name, a department's short name and an app's
// description holding a Unicode format character are 400
// invalid_characters on their field, as a read's purpose is (8940511):
// shown in the console, the CLI and the audit log, a name of U+200B alone
// looked blank and one with U+202E showed reversed. Nothing is created or
// changed. On both engines.
func TestNamesFormatCharactersRefused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin := f.session(t, "mz.admin")
		tables := []string{"regions", "departments", "users", "apps", "audit_log"}
		before := map[string]int{}
		for _, tb := range tables {
			before[tb] = f.count(t, tb)
		}
		for _, fc := range formatChars {
			for _, c := range []struct {
				what, method, path, key, body, field string
				hdr                                  []string
			}{
				{"region", "POST", "/api/v1/regions", f.opKey, `{"code":"440605001","name":"桂城街道` + fc + `","level":"town","parent_code":"440605"}`, "name", nil},
				{"department", "POST", "/api/v1/departments", f.opKey, `{"name":"` + fc + `","uscc":"11440605MB2C92340R","region_code":"440605"}`, "name", nil},
				{"department short name", "POST", "/api/v1/departments", f.opKey, `{"name":"佛山市南海区卫生健康局","short_name":"卫健` + fc + `局","uscc":"11440605MB2C92340R","region_code":"440605"}`, "short_name", nil},
				{"department renamed", "PUT", "/api/v1/departments/" + itoa(f.otherID), f.opKey, `{"name":"` + fc + `南海区民政局","uscc":"11440605MB2C9235XX"}`, "name", nil},
				{"user", "POST", "/api/v1/users", f.opKey, `{"username":"mz.fc","display_name":"张` + fc + `三","department_id":` + itoa(f.otherID) + `,"role":"reviewer","password":"` + password + `"}`, "display_name", nil},
				{"app", "POST", "/api/v1/apps", "", `{"name":"` + fc + `审批系统","scopes":["data.read"]}`, "name", admin},
				{"app description", "POST", "/api/v1/apps", "", `{"name":"审批系统","description":"说明` + fc + `","scopes":["data.read"]}`, "description", admin},
			} {
				r := f.do(t, c.method, c.path, c.key, c.body, c.hdr...)
				if r.status != 400 || r.body["code"] != "invalid_characters" || r.body["field"] != c.field ||
					!strings.Contains(textOf(r.body["detail"]), "不可见") {
					t.Errorf("%s with %s: %d %v, want 400 invalid_characters on %s naming invisible characters", c.what, fc, r.status, r.body, c.field)
				}
			}
		}
		for _, tb := range tables {
			if n := f.count(t, tb); n != before[tb] {
				t.Errorf("refused names left %d rows in %s, want none", n-before[tb], tb)
			}
		}
		if r := f.do(t, "GET", "/api/v1/departments/"+itoa(f.otherID), f.opKey, ""); r.body["name"] != "南海区民政局" {
			t.Errorf("department after a refused rename: %v, want 南海区民政局", r.body)
		}
		if r := f.do(t, "POST", "/api/v1/apps", "", `{"name":"审批系统（民政）","description":"第一行\n第二行：婚姻登记“补领”","scopes":["data.read"]}`, admin...); r.status != 201 {
			t.Errorf("app of plain Chinese text: %d %v, want 201", r.status, r.body)
		}
	})
}

// TestReasonFormatCharactersRefused: a reason to reject or retire a
// catalog entry holding a Unicode format character is 400
// invalid_characters on reason: it is shown to the entry's department and
// kept in the audit row, where it would look blank or reversed. The entry
// stays as it was, and nothing is audited. On both engines.
func TestReasonFormatCharactersRefused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin, op := f.session(t, "mz.admin"), f.session(t, "nh.op")
		base := publishedEntry(t, f, admin, op)
		if r := f.do(t, "PUT", base, "", strings.Replace(marriageEntry, "婚姻登记信息", "婚姻登记信息（修订）", 1), admin...); r.status != 200 {
			t.Fatalf("revise: %d %v", r.status, r.body)
		}
		if r := f.do(t, "POST", base+"/submit", "", "", admin...); r.status != 200 {
			t.Fatalf("submit: %d %v", r.status, r.body)
		}
		rows := func() int {
			var n int
			if err := db.Read().QueryRowContext(t.Context(), `SELECT count(*) FROM audit_log WHERE action IN ('catalog.reject', 'catalog.retire')`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		for _, fc := range formatChars {
			for _, c := range []struct {
				action string
				who    []string
			}{{"reject", op}, {"retire", admin}} {
				r := f.do(t, "POST", base+"/"+c.action, "", `{"reason":"摘要`+fc+`不完整"}`, c.who...)
				if r.status != 400 || r.body["code"] != "invalid_characters" || r.body["field"] != "reason" ||
					!strings.Contains(textOf(r.body["detail"]), "格式字符") {
					t.Errorf("%s with %s: %d %v, want 400 invalid_characters on reason naming format characters", c.action, fc, r.status, r.body)
				}
				if r := f.do(t, "POST", base+"/"+c.action, "", `{"reason":"`+fc+`"}`, c.who...); r.status != 400 || r.body["code"] != "invalid_characters" {
					t.Errorf("%s with %s alone: %d %v, want 400 invalid_characters", c.action, fc, r.status, r.body)
				}
			}
		}
		if n := rows(); n != 0 {
			t.Errorf("refused reasons left %d audit rows, want none", n)
		}
		r := f.do(t, "GET", base+"?view=working", "", "", admin...)
		if r.body["status"] != "submitted" || r.body["working_status"] != "submitted" {
			t.Errorf("entry after refused reasons: %v, want its revision still submitted", r.body)
		}
		if r := f.do(t, "POST", base+"/reject", "", `{"reason":"摘要不完整：缺“补领”\n请补充"}`, op...); r.status != 200 {
			t.Errorf("reject with a plain reason: %d %v, want 200", r.status, r.body)
		}
	})
}
