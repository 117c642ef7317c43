package api_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestUserIfMatch: GET /users/{id} answers an ETag, and a PATCH, disable
// or enable sent with it in If-Match is done only while the account is as
// it was read, as a department's PUT and disable are: administrator A
// renames the account, then B, who read it before, changes its role and
// is refused (409 concurrent_update, the Chinese message naming the
// account), A's change kept, nothing audited for B; B's disable with the
// stale tag is refused so too. With the tag of the answer (PATCH's,
// disable's) the next request goes in; without If-Match, or with *, it
// goes in whatever the account holds. An account already in the state
// asked for is answered as it is, whatever the tag.
func TestUserIfMatch(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		reviewer, path := userPath(t, db, "mz.reviewer")
		read := f.do(t, "GET", path, f.opKey, "")
		tag := read.header.Get("ETag")
		if read.status != 200 || len(tag) < 3 || tag[0] != '"' {
			t.Fatalf("GET %s: %d, ETag %q", path, read.status, tag)
		}
		r := f.do(t, "PATCH", path, f.opKey, `{"display_name":"民政审核员（张）"}`, "If-Match", tag)
		newTag := r.header.Get("ETag")
		if r.status != 200 || r.body["display_name"] != "民政审核员（张）" || newTag == "" || newTag == tag {
			t.Fatalf("A's PATCH with the tag read: %d %v, ETag %q (was %q)", r.status, r.body, newTag, tag)
		}
		stale := func(what string, r response) {
			t.Helper()
			if r.status != 409 || r.body["code"] != "concurrent_update" ||
				r.body["detail"] != "账号“mz.reviewer”的信息在您打开后已被他人修改，为免覆盖他人的修改，本次未保存：请刷新，按最新内容重新修改" {
				t.Errorf("%s: %d %v, want 409 concurrent_update", what, r.status, r.body)
			}
		}
		stale("B's PATCH with the tag read before A's", f.do(t, "PATCH", path, f.opKey, `{"role":"dept_admin"}`, "If-Match", tag))
		stale("B's disable with the tag read before A's", f.do(t, "POST", path+"/disable", f.opKey, "", "If-Match", tag))
		if r := f.do(t, "PATCH", path, f.opKey, `{"role":"dept_admin"}`, "If-Match", "W/"+newTag); r.status != 400 || r.body["code"] != "bad_if_match" {
			t.Errorf("a weak tag: %d %v, want 400 bad_if_match", r.status, r.body)
		}
		got, err := org.UserByID(t.Context(), db.Read(), reviewer)
		if err != nil || got.DisplayName != "民政审核员（张）" || got.Role != org.Reviewer || got.Disabled {
			t.Errorf("after the stale requests: %+v %v, want A's name, reviewer, enabled", got, err)
		}
		if rows, _, err := audit.List(t.Context(), db.Read(), audit.Filter{Action: "user.update"}); err != nil || len(rows) != 1 {
			t.Errorf("user.update rows: %d %v, want A's alone", len(rows), err)
		}
		if got := f.do(t, "GET", path, f.opKey, "").header.Get("ETag"); got != newTag {
			t.Errorf("GET after A's PATCH: ETag %q, want PATCH's %q", got, newTag)
		}

		r = f.do(t, "POST", path+"/disable", f.opKey, "", "If-Match", newTag)
		disabledTag := r.header.Get("ETag")
		if r.status != 200 || r.body["disabled"] != true || disabledTag == "" || disabledTag == newTag {
			t.Fatalf("disable with the current tag: %d %v, ETag %q", r.status, r.body, disabledTag)
		}
		if r := f.do(t, "POST", path+"/disable", f.opKey, "", "If-Match", newTag); r.status != 200 || r.body["disabled"] != true {
			t.Errorf("disable retried with its tag, the account disabled: %d %v, want 200 as it is", r.status, r.body)
		}
		stale("enable with the tag from before the disable", f.do(t, "POST", path+"/enable", f.opKey, "", "If-Match", newTag))
		if r := f.do(t, "POST", path+"/enable", f.opKey, "", "If-Match", disabledTag); r.status != 200 || r.body["disabled"] != false {
			t.Errorf("enable with the disable's tag: %d %v", r.status, r.body)
		}
		if r := f.do(t, "PATCH", path, f.opKey, `{"display_name":"民政审核员"}`); r.status != 200 || r.header.Get("ETag") == "" {
			t.Errorf("PATCH without If-Match: %d %v, ETag %q", r.status, r.body, r.header.Get("ETag"))
		}
		if r := f.do(t, "PATCH", path, f.opKey, `{"display_name":"民政审核员（李）"}`, "If-Match", "*"); r.status != 200 {
			t.Errorf("PATCH with If-Match *: %d %v", r.status, r.body)
		}
	})
}
