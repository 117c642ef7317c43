package api_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestPutAnswersRevision: PUT on a published entry answers the revision it
// saved — status draft, version 2, its metadata — with published_version
// still 1, where it answered status published beside version 2 and the new
// text, as if the change were in force. GET of the entry shows the version
// in force and that a revision is in progress (working_version,
// working_status); GET ?view=working shows the revision as PUT answered it,
// its status following the revision through submission and rejection.
func TestPutAnswersRevision(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin, op := f.session(t, "mz.admin"), f.session(t, "nh.op")
		const oldAbstract, newAbstract = "结婚登记、离婚登记及补领婚姻登记证信息", "结婚登记、离婚登记信息（修订）"
		base := publishedEntry(t, f, admin, op)
		state := func(r response) string {
			return r.body["status"].(string) + " v" + jsonNumber(r.body["version"]) + " published v" +
				jsonNumber(r.body["published_version"]) + " working v" + jsonNumber(r.body["working_version"]) + " " +
				textOf(r.body["working_status"]) + " " + r.body["abstract"].(string)
		}
		check := func(what string, r response, want string) {
			t.Helper()
			if r.status != 200 {
				t.Fatalf("%s: %d %v", what, r.status, r.body)
			}
			if got := state(r); got != want {
				t.Errorf("%s: %s, want %s", what, got, want)
			}
		}
		put := f.do(t, "PUT", base, "", strings.Replace(marriageEntry, oldAbstract, newAbstract, 1), admin...)
		check("PUT", put, "draft v2 published v1 working v2 draft "+newAbstract)
		check("GET", f.do(t, "GET", base, "", "", admin...), "published v1 published v1 working v2 draft "+oldAbstract)
		check("GET ?view=working", f.do(t, "GET", base+"?view=working", "", "", admin...), "draft v2 published v1 working v2 draft "+newAbstract)
		if r := f.do(t, "POST", base+"/submit", "", "", admin...); r.status != 200 {
			t.Fatalf("submit: %d %v", r.status, r.body)
		}
		check("GET ?view=working, submitted", f.do(t, "GET", base+"?view=working", "", "", admin...),
			"submitted v2 published v1 working v2 submitted "+newAbstract)
		if r := f.do(t, "POST", base+"/reject", "", `{"reason":"摘要不完整"}`, op...); r.status != 200 {
			t.Fatalf("reject: %d %v", r.status, r.body)
		}
		check("GET, rejected", f.do(t, "GET", base, "", "", admin...), "published v1 published v1 working v2 rejected "+oldAbstract)
		check("GET ?view=working, rejected", f.do(t, "GET", base+"?view=working", "", "", admin...),
			"rejected v2 published v1 working v2 rejected "+newAbstract)

		// Before the first approval the version shown is the draft's, in
		// both views, and PUT answers it as it was.
		r := f.do(t, "POST", "/api/v1/catalog/entries", "", strings.Replace(marriageEntry, "婚姻登记信息", "收养登记信息", 1), admin...)
		if r.status != 201 {
			t.Fatalf("create: %d %v", r.status, r.body)
		}
		draft := "/api/v1/catalog/entries/" + jsonNumber(r.body["id"])
		put = f.do(t, "PUT", draft, "", strings.Replace(strings.Replace(marriageEntry, "婚姻登记信息", "收养登记信息", 1), oldAbstract, newAbstract, 1), admin...)
		if put.status != 200 || put.body["status"] != "draft" || jsonNumber(put.body["version"]) != "1" || jsonNumber(put.body["published_version"]) != "0" {
			t.Errorf("PUT of a draft: %d %v, want status draft, version 1, published_version 0", put.status, put.body)
		}
	})
}

// TestPutBackGotEntry: an entry as GET answers it (either view, with every
// field the server sets: id, code, status, the version numbers, the reject
// reason, the times, the items' authoritative_source) can be edited and
// PUT back, where the first server-set field was refused, 400
// unknown_field 未知字段：id, one at a time. A field the entry has not,
// misspelt or not, is still refused, and all of them in one answer, nested
// ones by their path.
func TestPutBackGotEntry(t *testing.T) {
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
		for _, view := range []string{"", "?view=working"} {
			got := f.do(t, "GET", base+view, "", "", admin...)
			for _, k := range []string{"id", "code", "department_id", "department_name", "status", "version", "published_version",
				"working_version", "working_status", "reject_reason", "review_due", "created_at", "updated_at", "reviewed_at", "published_at"} {
				if _, ok := got.body[k]; !ok {
					t.Fatalf("GET %s: no %s to send back in %v", view, k, got.body)
				}
			}
			abstract := "婚姻登记信息，第" + view + "次编辑"
			got.body["abstract"] = abstract
			b, err := json.Marshal(got.body)
			if err != nil {
				t.Fatal(err)
			}
			r := f.do(t, "PUT", base, "", string(b), admin...)
			if r.status != 200 || r.body["abstract"] != abstract || jsonNumber(r.body["id"]) != jsonNumber(got.body["id"]) {
				t.Errorf("PUT back GET%s: %d %v, want 200 with the new abstract", view, r.status, r.body)
			}
		}

		got := f.do(t, "GET", base+"?view=working", "", "", admin...)
		got.body["items"].([]any)[1].(map[string]any)["colour"] = "红"
		b, err := json.Marshal(got.body)
		if err != nil {
			t.Fatal(err)
		}
		body := `{"nom":"x","abstrakt":"y",` + string(b[1:])
		r := f.do(t, "PUT", base, "", body, admin...)
		if r.status != 400 || r.body["code"] != "unknown_field" || r.body["field"] != "nom" ||
			!strings.Contains(textOf(r.body["detail"]), "未知字段：nom、abstrakt、items[1].colour") {
			t.Errorf("PUT with unknown fields: %d %v, want 400 unknown_field listing nom、abstrakt、items[1].colour", r.status, r.body)
		}
		if w := f.do(t, "GET", base+"?view=working", "", "", admin...); w.body["abstract"] != got.body["abstract"] {
			t.Errorf("after the refusal the abstract is %v, want %v", w.body["abstract"], got.body["abstract"])
		}
	})
}

// textOf is v if it is a string, "" otherwise.
func textOf(v any) string {
	s, _ := v.(string)
	return s
}
