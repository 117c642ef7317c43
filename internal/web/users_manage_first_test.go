package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/web"
)

// TestResetPasswordManagedFirst: a department administrator's password
// reset of another department's account is refused 403 (只能管理本部门的账号)
// with a denied user.password row on the account, whether the new
// password is weak or valid, and no password is hashed for it (a hash
// holds one of the few hash slots logins wait for): the console checked
// the password's rules and hashed it before userAction refused the
// account, as POST /api/v1/users/{id}/password did until f47c6f3. The
// account keeps its password. A reset the administrator may make, of an
// account of its own department, hashes one. On both engines.
func TestResetPasswordManagedFirst(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		hashes := web.CountHashes(t)
		target := f.users["market.admin"]
		id := strconv.FormatInt(target.ID, 10)
		denied := func() int {
			return count(t, db, `SELECT count(*) FROM audit_log WHERE outcome = 'denied' AND action = 'user.password'
				AND object_type = 'user' AND object_id = $1 AND detail = '{"reason":"forbidden"}'`, id)
		}
		admin := f.client(t)
		token := admin.login("police.admin")
		for i, pw := range []string{"short", "Battery-Staple-7"} {
			r := admin.post("/org/users/"+id+"/password", url.Values{"csrf_token": {token}, "password": {pw},
				"password_confirm": {pw}})
			wantStatus(t, "reset to "+pw, r, http.StatusForbidden)
			wantBody(t, "reset to "+pw, r, "只能管理本部门的账号")
			if n := denied(); n != i+1 {
				t.Errorf("denied user.password rows after the reset to %s: %d, want %d", pw, n, i+1)
			}
			if n := hashes.Load(); n != 0 {
				t.Errorf("passwords hashed after the refused reset to %s: %d, want 0", pw, n)
			}
		}
		f.client(t).login("market.admin")
		if u, err := org.UserByID(t.Context(), db.Read(), target.ID); err != nil || u.PasswordChangeRequired {
			t.Errorf("the refused account after the resets: %+v, %v", u, err)
		}

		own := "/org/users/" + strconv.FormatInt(f.users["locked"].ID, 10)
		r := admin.post(own+"/password", url.Values{"csrf_token": {token}, "password": {"Battery-Staple-7"},
			"password_confirm": {"Battery-Staple-7"}})
		if r.Status != http.StatusSeeOther || r.Location != own+"?msg=password" {
			t.Fatalf("the reset of an account of its department: %d to %q\n%s", r.Status, r.Location, r.Body)
		}
		if n := hashes.Load(); n != 1 {
			t.Errorf("passwords hashed by the allowed reset: %d, want 1", n)
		}
	})
}

// TestUserFormsManagedFirst: a department administrator's other forms on
// another department's account are refused 403 (只能管理本部门的账号) with
// a denied row of their action whatever they hold, a form the rules
// refuse included (a disable left unconfirmed, an edit naming no
// department), rather than told what to correct: their form is checked
// before userAction, but the form shown again reloads the account
// (renderUser), which refuses it. On both engines.
func TestUserFormsManagedFirst(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		id := strconv.FormatInt(f.users["market.admin"].ID, 10)
		admin := f.client(t)
		token := admin.login("police.admin")
		for _, c := range []struct {
			action, path string
			form         url.Values
		}{
			{"user.disable", "/disable", url.Values{}},
			{"user.update", "/edit", url.Values{"display_name": {"陈管理"}, "role": {"dept_admin"}, "department": {"没有这个部门"}}},
		} {
			c.form.Set("csrf_token", token)
			r := admin.post("/org/users/"+id+c.path, c.form)
			wantStatus(t, c.action, r, http.StatusForbidden)
			wantBody(t, c.action, r, "只能管理本部门的账号")
			if n := count(t, db, `SELECT count(*) FROM audit_log WHERE outcome = 'denied' AND action = $1
				AND object_type = 'user' AND object_id = $2 AND detail = '{"reason":"forbidden"}'`, c.action, id); n != 1 {
				t.Errorf("denied %s rows: %d, want 1", c.action, n)
			}
		}
	})
}
