package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestEditUserConcurrent: an account's page carried no edit tag, so two
// administrators who opened it overwrote each other: B, whose page was
// loaded before A renamed the account, saved the old name back with a new
// role. Every form of the page (修改账号, 停用账号, 重置密码) now carries
// the account's tag (org.User.Tag) in edit_tag, as a department's edit
// page does, and a form sent with a stale one is refused (409) with the
// Chinese message of a concurrent change, nothing changed: the page shows
// the account as now stored, A's name, and 修改账号 keeps what B typed.
// Saving again from that page, with its tag, saves B's values; a form
// sent without edit_tag is saved as before (TestEditUser).
func TestEditUserConcurrent(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		target := f.users["locked"]
		page := "/org/users/" + strconv.FormatInt(target.ID, 10)
		op := f.client(t)
		token := op.login("operator")
		tagRe := regexp.MustCompile(`name="edit_tag" value="([^"]*)"`)
		tagOf := func(body string) string {
			t.Helper()
			all := tagRe.FindAllStringSubmatch(body, -1)
			if len(all) != 3 {
				t.Fatalf("edit_tag in %d forms, want the edit, disable and password forms':\n%s", len(all), body)
			}
			for _, m := range all {
				if m[1] == "" || m[1] != all[0][1] {
					t.Fatalf("edit_tags %q, want one account's tag in every form", all)
				}
			}
			return all[0][1]
		}
		stored := func() org.User {
			t.Helper()
			u, err := org.UserByID(t.Context(), db.Read(), target.ID)
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		hash := func() string {
			t.Helper()
			var h string
			if err := db.Read().QueryRowContext(t.Context(), `SELECT password_hash FROM users WHERE id = $1`, target.ID).Scan(&h); err != nil {
				t.Fatal(err)
			}
			return h
		}
		tagA, tagB := tagOf(op.get(page).Body), tagOf(op.get(page).Body)
		r := op.post(page+"/edit", url.Values{"csrf_token": {token}, "edit_tag": {tagA}, "display_name": {"周调岗"}, "role": {"reviewer"}})
		wantStatus(t, "A's rename", r, http.StatusSeeOther)

		before := hash()
		stale := []struct {
			what, path string
			form       url.Values
		}{
			{"B's stale edit", "/edit", url.Values{"display_name": {"周锁定（B）"}, "role": {"dept_admin"}}},
			{"B's stale disable", "/disable", url.Values{"confirm": {"yes"}}},
			{"B's stale password reset", "/password", url.Values{"password": {"Fresh-Battery-8"}, "password_confirm": {"Fresh-Battery-8"}}},
		}
		var last string
		for _, s := range stale {
			s.form.Set("csrf_token", token)
			s.form.Set("edit_tag", tagB)
			r := op.post(page+s.path, s.form)
			wantStatus(t, s.what, r, http.StatusConflict)
			wantBody(t, s.what, r, "账号“locked”的信息在您打开后已被他人修改，为免覆盖他人的修改，本次未保存", "<dd>周调岗</dd>", `id="account-stale"`)
			if s.path == "/edit" {
				wantBody(t, s.what, r, `value="周锁定（B）"`, `<option value="dept_admin" selected>`)
				last = r.Body
			}
		}
		if u := stored(); u.DisplayName != "周调岗" || u.Role != org.Reviewer || u.Disabled || hash() != before {
			t.Fatalf("after B's stale forms: %+v (password changed: %v), want A's name, reviewer, enabled, the password kept", u, hash() != before)
		}
		if tagOf(last) == tagB {
			t.Fatalf("the refused edit's page carries the stale tag")
		}
		r = op.post(page+"/edit", url.Values{"csrf_token": {token}, "edit_tag": {tagOf(last)}, "display_name": {"周锁定（B）"}, "role": {"dept_admin"}})
		wantStatus(t, "B's save from the refused edit's page", r, http.StatusSeeOther)
		if u := stored(); u.DisplayName != "周锁定（B）" || u.Role != org.DeptAdmin {
			t.Errorf("after B's second save: %+v", u)
		}
		if strings.Contains(op.get(page).Body, `id="account-stale"`) {
			t.Errorf("the account page tells of a stale form it was not sent")
		}
	})
}
