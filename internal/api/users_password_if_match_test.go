package api_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestUserPasswordResetIfMatch: POST /users/{id}/password took no
// If-Match while PATCH, disable and enable of the account do, so that an
// administrator resetting the password of an account as read gave it to
// whoever holds it now, moved or disabled by another administrator
// since. Sent with the ETag of GET, the reset is done only while the
// account is as it was read: after A renames the account, B's reset with
// the tag read before is refused (409 concurrent_update, the Chinese
// message naming the account), the password and the audit log unchanged;
// a weak tag is refused 400 bad_if_match, changing nothing too. With the current tag it goes in (204, the
// account's ETag, which a password does not change); without If-Match, or
// with *, it goes in whatever the account holds, as it did.
func TestUserPasswordResetIfMatch(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		reviewer, path := userPath(t, db, "mz.reviewer")
		hash := func() string {
			t.Helper()
			var h string
			if err := db.Read().QueryRowContext(t.Context(), `SELECT password_hash FROM users WHERE id = $1`, reviewer).Scan(&h); err != nil {
				t.Fatal(err)
			}
			return h
		}
		resets := func() int {
			t.Helper()
			rows, _, err := audit.List(t.Context(), db.Read(), audit.Filter{Action: "user.password"})
			if err != nil {
				t.Fatal(err)
			}
			return len(rows)
		}
		tag := f.do(t, "GET", path, f.opKey, "").header.Get("ETag")
		r := f.do(t, "PATCH", path, f.opKey, `{"display_name":"民政审核员（张）"}`, "If-Match", tag)
		newTag := r.header.Get("ETag")
		if r.status != 200 || newTag == "" || newTag == tag {
			t.Fatalf("A's PATCH: %d %v, ETag %q (was %q)", r.status, r.body, newTag, tag)
		}
		before, rows := hash(), resets()
		r = f.do(t, "POST", path+"/password", f.opKey, `{"password":"Fresh-Battery-8"}`, "If-Match", tag)
		if r.status != 409 || r.body["code"] != "concurrent_update" ||
			r.body["detail"] != "账号“mz.reviewer”的信息在您打开后已被他人修改，为免覆盖他人的修改，本次未保存：请刷新，按最新内容重新修改" {
			t.Errorf("B's reset with the tag read before A's PATCH: %d %v, want 409 concurrent_update", r.status, r.body)
		}
		if r := f.do(t, "POST", path+"/password", f.opKey, `{"password":"Fresh-Battery-8"}`, "If-Match", "W/"+newTag); r.status != 400 || r.body["code"] != "bad_if_match" {
			t.Errorf("B's reset with a weak tag: %d %v, want 400 bad_if_match", r.status, r.body)
		}
		if hash() != before || resets() != rows {
			t.Fatalf("the refused resets changed the password or wrote user.password")
		}
		r = f.do(t, "POST", path+"/password", f.opKey, `{"password":"Fresh-Battery-8"}`, "If-Match", newTag)
		if r.status != 204 || r.header.Get("ETag") != newTag {
			t.Fatalf("reset with the current tag: %d %v, ETag %q, want 204 and %q", r.status, r.body, r.header.Get("ETag"), newTag)
		}
		if hash() == before || resets() != rows+1 {
			t.Errorf("the reset with the current tag left the password or wrote no user.password")
		}
		for what, h := range map[string][]string{"without If-Match": nil, "with If-Match *": {"If-Match", "*"}} {
			if r := f.do(t, "POST", path+"/password", f.opKey, `{"password":"Fresh-Battery-9"}`, h...); r.status != 204 {
				t.Errorf("reset %s: %d %v, want 204", what, r.status, r.body)
			}
		}
	})
}
