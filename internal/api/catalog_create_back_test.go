package api_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCreateFromGotEntry: an entry as GET answers it (with every field the
// server sets: id, code, status, the version numbers, the reject reason,
// the times, the items' authoritative_source), renamed, can be POSTed to
// create a similar entry, as PUT takes it back since afebb7a: the server's
// fields are ignored and a new draft is created in the entry's
// department, where the first of them was refused, 400 unknown_field
// 未知字段：id. Fields the entry has not are refused, all of them in one
// answer, nested ones by their path, field the first; nothing is created.
func TestCreateFromGotEntry(t *testing.T) {
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
		if r := f.do(t, "POST", base+"/reject", "", `{"reason":"摘要不完整"}`, op...); r.status != 200 {
			t.Fatalf("reject: %d %v", r.status, r.body)
		}
		for i, view := range []string{"", "?view=working"} {
			got := f.do(t, "GET", base+view, "", "", admin...)
			for _, k := range []string{"id", "code", "department_id", "department_name", "status", "version", "published_version",
				"working_version", "working_status", "reject_reason", "review_due", "created_at", "updated_at", "reviewed_at", "published_at"} {
				if _, ok := got.body[k]; !ok {
					t.Fatalf("GET %s: no %s to send in %v", view, k, got.body)
				}
			}
			name := []string{"收养登记信息", "收养登记信息（补充）"}[i]
			got.body["name"] = name
			b, err := json.Marshal(got.body)
			if err != nil {
				t.Fatal(err)
			}
			r := f.do(t, "POST", "/api/v1/catalog/entries", "", string(b), admin...)
			if r.status != 201 || r.body["name"] != name || r.body["status"] != "draft" || jsonNumber(r.body["version"]) != "1" ||
				jsonNumber(r.body["published_version"]) != "0" || r.body["reject_reason"] != nil ||
				jsonNumber(r.body["id"]) == jsonNumber(got.body["id"]) || r.body["code"] == got.body["code"] ||
				jsonNumber(r.body["department_id"]) != jsonNumber(got.body["department_id"]) {
				t.Errorf("POST of GET%s renamed: %d %v, want 201, a new draft %s in the same department", view, r.status, r.body, name)
			}
		}

		n := countEntries(t, db)
		got := f.do(t, "GET", base+"?view=working", "", "", admin...)
		got.body["name"] = "收养登记信息（再补充）"
		got.body["items"].([]any)[1].(map[string]any)["colour"] = "红"
		b, err := json.Marshal(got.body)
		if err != nil {
			t.Fatal(err)
		}
		r := f.do(t, "POST", "/api/v1/catalog/entries", "", `{"nom":"x","abstrakt":"y",`+string(b[1:]), admin...)
		if r.status != 400 || r.body["code"] != "unknown_field" || r.body["field"] != "nom" ||
			!strings.Contains(textOf(r.body["detail"]), "未知字段：nom、abstrakt、items[1].colour") {
			t.Errorf("POST with unknown fields: %d %v, want 400 unknown_field listing nom、abstrakt、items[1].colour", r.status, r.body)
		}
		if m := countEntries(t, db); m != n {
			t.Errorf("refused POST created %d entries, want none", m-n)
		}
	})
}
