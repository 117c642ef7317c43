package api_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// abstractAs is marriageEntry with its abstract opening s instead of
// 结婚登记、离婚登记: a saved edit, which gives the entry another tag.
func abstractAs(s string) string {
	return strings.Replace(marriageEntry, "结婚登记、离婚登记", s, 1)
}

// withTag is who's credentials with If-Match tag.
func withTag(tag string, who []string) []string {
	return append([]string{"If-Match", tag}, who...)
}

// TestDeleteIfMatch: DELETE …/entries/{id} honours If-Match as PUT does. A
// tag read before another edit saved, or one naming no version, is refused
// with 409 concurrent_update and the draft stays, with the edit, as it
// does when the current tag is sent weak (400 bad_if_match); the current
// tag, "*" and no If-Match delete it. Before, the header was ignored and the
// draft deleted (204) whatever it named.
func TestDeleteIfMatch(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin := f.session(t, "mz.admin")
		create := func() string {
			t.Helper()
			r := f.do(t, "POST", "/api/v1/catalog/entries", "", marriageEntry, admin...)
			if r.status != 201 {
				t.Fatalf("create: %d %v", r.status, r.body)
			}
			return "/api/v1/catalog/entries/" + jsonNumber(r.body["id"])
		}
		base := create()
		stale := f.do(t, "GET", base, "", "", admin...).header.Get("ETag")
		if r := f.do(t, "PUT", base, "", abstractAs("结婚、离婚登记"), admin...); r.status != 200 {
			t.Fatalf("edit: %d %v", r.status, r.body)
		}
		for _, c := range []struct {
			tag    string
			status int
			code   string
		}{{stale, 409, "concurrent_update"}, {`"stale-tag"`, 409, "concurrent_update"},
			{"W/" + f.do(t, "GET", base, "", "", admin...).header.Get("ETag"), 400, "bad_if_match"}} {
			tag := c.tag
			if r := f.do(t, "DELETE", base, "", "", withTag(tag, admin)...); r.status != c.status || r.body["code"] != c.code {
				t.Errorf("DELETE with If-Match %s: %d %v, want %d %s", tag, r.status, r.body, c.status, c.code)
			}
			if g := f.do(t, "GET", base, "", "", admin...); g.status != 200 || !strings.HasPrefix(g.body["abstract"].(string), "结婚、离婚登记") {
				t.Fatalf("after DELETE with If-Match %s: %d %v, want the edited draft kept", tag, g.status, g.body)
			}
		}
		if r := f.do(t, "DELETE", base, "", "", withTag(f.do(t, "GET", base, "", "", admin...).header.Get("ETag"), admin)...); r.status != 204 {
			t.Errorf("DELETE with the current tag: %d %v, want 204", r.status, r.body)
		}
		if g := f.do(t, "GET", base, "", "", admin...); g.status != 404 {
			t.Errorf("after DELETE with the current tag: %d, want 404", g.status)
		}
		for _, hdr := range [][]string{withTag("*", admin), admin} {
			base := create()
			if r := f.do(t, "DELETE", base, "", "", hdr...); r.status != 204 {
				t.Errorf("DELETE with %v: %d %v, want 204", hdr[:2], r.status, r.body)
			}
		}
	})
}

// TestDiscardRevisionIfMatch: DELETE …/entries/{id}/revision honours
// If-Match as PUT does, the tag naming the revision (view=working). A tag of
// the revision read before another edit saved is refused with 409
// concurrent_update, and so is the default view's (the version in force,
// which the discard does not act on): the revision stays, with the edit.
// The revision's current tag, and no If-Match, discard it. Before, the
// header was ignored and the revision discarded (200) whatever it named.
func TestDiscardRevisionIfMatch(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin, op := f.session(t, "mz.admin"), f.session(t, "nh.op")
		base := publishedEntry(t, f, admin, op)
		working := func() response { return f.do(t, "GET", base+"?view=working", "", "", admin...) }
		if r := f.do(t, "PUT", base, "", abstractAs("结婚、离婚登记"), admin...); r.status != 200 {
			t.Fatalf("open revision: %d %v", r.status, r.body)
		}
		stale := working().header.Get("ETag")
		if r := f.do(t, "PUT", base, "", abstractAs("结婚登记及离婚登记"), admin...); r.status != 200 {
			t.Fatalf("edit revision: %d %v", r.status, r.body)
		}
		for _, tag := range []string{stale, f.do(t, "GET", base, "", "", admin...).header.Get("ETag")} {
			if r := f.do(t, "DELETE", base+"/revision", "", "", withTag(tag, admin)...); r.status != 409 || r.body["code"] != "concurrent_update" {
				t.Errorf("discard with If-Match %s: %d %v, want 409 concurrent_update", tag, r.status, r.body)
			}
			if w := working(); w.body["working_status"] != "draft" || !strings.HasPrefix(w.body["abstract"].(string), "结婚登记及离婚登记") {
				t.Fatalf("after discard with If-Match %s: %v, want the edited revision kept", tag, w.body)
			}
		}
		if r := f.do(t, "DELETE", base+"/revision", "", "", withTag(working().header.Get("ETag"), admin)...); r.status != 200 || r.body["working_version"] != nil {
			t.Errorf("discard with the revision's current tag: %d %v, want 200 and no revision", r.status, r.body)
		}
		if r := f.do(t, "PUT", base, "", abstractAs("结婚登记与离婚登记"), admin...); r.status != 200 {
			t.Fatalf("open revision again: %d %v", r.status, r.body)
		}
		if r := f.do(t, "DELETE", base+"/revision", "", "", admin...); r.status != 200 || r.body["working_version"] != nil {
			t.Errorf("discard without If-Match: %d %v, want 200 and no revision", r.status, r.body)
		}
	})
}

// TestRetireIfMatch: the retirement request, its withdrawal, rejection and
// approval honour If-Match as PUT does, a tag of either view of the entry
// as it now is (the version in force, or its revision) being current: the
// retirement acts on the whole entry, its revision with it. A tag read
// before a revision was opened or discarded is refused with 409
// concurrent_update and nothing changes (no request made, the request still
// under review, the entry still published); the current tags, and no
// If-Match, act. Before, the header was ignored by all four.
func TestRetireIfMatch(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin, op := f.session(t, "mz.admin"), f.session(t, "nh.op")
		base := publishedEntry(t, f, admin, op)
		tag := func() string { return f.do(t, "GET", base, "", "", admin...).header.Get("ETag") }
		workingTag := func() string { return f.do(t, "GET", base+"?view=working", "", "", admin...).header.Get("ETag") }
		expect := func(what string, r response, status int) {
			t.Helper()
			if r.status != status {
				t.Fatalf("%s: %d %v, want %d", what, r.status, r.body, status)
			}
		}
		refused := func(what string, r response, pending bool) {
			t.Helper()
			if r.status != 409 || r.body["code"] != "concurrent_update" {
				t.Errorf("%s: %d %v, want 409 concurrent_update", what, r.status, r.body)
			}
			g := f.do(t, "GET", base, "", "", admin...)
			req, _ := g.body["retire_request"].(map[string]any)
			if g.body["status"] != "published" || (req != nil && req["state"] == "requested") != pending {
				t.Fatalf("after %s: %v, want published with a request under review %v", what, g.body, pending)
			}
		}
		const reason = `{"reason":"职能调整，不再产生该数据"}`
		openRevision := func(abstract string) {
			t.Helper()
			expect("open revision", f.do(t, "PUT", base, "", abstractAs(abstract), admin...), 200)
		}
		discard := func() { t.Helper(); expect("discard", f.do(t, "DELETE", base+"/revision", "", "", admin...), 200) }

		// The request: refused with a tag read before the revision was opened.
		stale := tag()
		openRevision("结婚、离婚登记")
		refused("retire with a stale tag", f.do(t, "POST", base+"/retire", "", reason, withTag(stale, admin)...), false)
		refused(`retire with "stale-tag"`, f.do(t, "POST", base+"/retire", "", reason, withTag(`"stale-tag"`, admin)...), false)
		expect("retire with the default view's tag", f.do(t, "POST", base+"/retire", "", reason, withTag(tag(), admin)...), 202)

		// The withdrawal: refused with a tag read before the revision was discarded.
		stale = workingTag()
		discard()
		refused("withdraw with a stale tag", f.do(t, "POST", base+"/retire/withdraw", "", "", withTag(stale, admin)...), true)
		expect("withdraw with the current tag", f.do(t, "POST", base+"/retire/withdraw", "", "", withTag(tag(), admin)...), 200)
		expect("retire without If-Match", f.do(t, "POST", base+"/retire", "", reason, admin...), 202)
		expect("withdraw without If-Match", f.do(t, "POST", base+"/retire/withdraw", "", "", admin...), 200)
		expect("retire again", f.do(t, "POST", base+"/retire", "", reason, admin...), 202)

		// The rejection: refused with a tag read before a revision was opened.
		stale = tag()
		openRevision("结婚登记及离婚登记")
		refused("reject retirement with a stale tag", f.do(t, "POST", base+"/retire/reject", "", `{"reason":"仍在使用"}`, withTag(stale, op)...), true)
		expect("reject retirement with the revision's tag", f.do(t, "POST", base+"/retire/reject", "", `{"reason":"仍在使用"}`, withTag(workingTag(), op)...), 200)
		expect("retire again", f.do(t, "POST", base+"/retire", "", reason, admin...), 202)
		expect("reject retirement without If-Match", f.do(t, "POST", base+"/retire/reject", "", `{"reason":"仍在使用"}`, op...), 200)
		expect("retire again", f.do(t, "POST", base+"/retire", "", reason, admin...), 202)

		// The approval: refused with a tag read before the revision was discarded.
		stale = tag()
		discard()
		refused("approve retirement with a stale tag", f.do(t, "POST", base+"/retire/approve", "", "", withTag(stale, op)...), true)
		r := f.do(t, "POST", base+"/retire/approve", "", "", withTag(tag(), op)...)
		if r.status != 200 || r.body["status"] != "retired" {
			t.Errorf("approve retirement with the current tag: %d %v, want 200 retired", r.status, r.body)
		}
	})
}

// TestOperatorRetireIfMatch: the operator's own retirement honours If-Match
// too: a stale tag is refused with 409 concurrent_update and the entry stays
// published; the current tag retires it (200).
func TestOperatorRetireIfMatch(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin, op := f.session(t, "mz.admin"), f.session(t, "nh.op")
		base := publishedEntry(t, f, admin, op)
		stale := f.do(t, "GET", base, "", "", op...).header.Get("ETag")
		if r := f.do(t, "PUT", base, "", abstractAs("结婚、离婚登记"), admin...); r.status != 200 {
			t.Fatalf("open revision: %d %v", r.status, r.body)
		}
		const reason = `{"reason":"职能调整，不再产生该数据"}`
		if r := f.do(t, "POST", base+"/retire", "", reason, withTag(stale, op)...); r.status != 409 || r.body["code"] != "concurrent_update" {
			t.Errorf("operator's retire with a stale tag: %d %v, want 409 concurrent_update", r.status, r.body)
		}
		if g := f.do(t, "GET", base, "", "", op...); g.body["status"] != "published" {
			t.Fatalf("after the refusal: status %v, want published", g.body["status"])
		}
		cur := f.do(t, "GET", base, "", "", op...).header.Get("ETag")
		if r := f.do(t, "POST", base+"/retire", "", reason, withTag(cur, op)...); r.status != 200 || r.body["status"] != "retired" {
			t.Errorf("operator's retire with the current tag: %d %v, want 200 retired", r.status, r.body)
		}
	})
}
