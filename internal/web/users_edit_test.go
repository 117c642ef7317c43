package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestEditUser: an account's page has a 修改账号 form. The department
// administrator renames and re-roles an account of its own department,
// but may not give it a role it does not manage (403, nothing changed);
// the operator moves an account to another department, named as the new
// account form names one, and the account's sessions end.
func TestEditUser(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		target := f.users["locked"]
		page := "/org/users/" + strconv.FormatInt(target.ID, 10)
		stored := func() org.User {
			u, err := org.UserByID(t.Context(), db.Read(), target.ID)
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		admin := f.client(t)
		token := admin.login("police.admin")
		wantBody(t, "the account page", admin.get(page), `action="`+page+`/edit"`, `id="edit-display-name"`)
		r := admin.post(page+"/edit", url.Values{"csrf_token": {token}, "display_name": {"周调岗"}, "role": {"dept_admin"}})
		if r.Status != http.StatusSeeOther || r.Location != page+"?msg=updated" {
			t.Fatalf("the administrator's change: %d to %q\n%s", r.Status, r.Location, r.Body)
		}
		if u := stored(); u.DisplayName != "周调岗" || u.Role != org.DeptAdmin {
			t.Errorf("after the administrator's change: %+v", u)
		}
		r = admin.post(page+"/edit", url.Values{"csrf_token": {token}, "display_name": {"周调岗"}, "role": {"operator"}})
		wantStatus(t, "a role the administrator does not manage", r, http.StatusForbidden)
		if u := stored(); u.Role != org.DeptAdmin {
			t.Errorf("after the refused change: %+v", u)
		}

		op := f.client(t)
		opToken := op.login("operator")
		market := f.depts["市场监管局"]
		r = op.post(page+"/edit", url.Values{"csrf_token": {opToken}, "display_name": {"周调岗"}, "role": {"reviewer"},
			"department": {market.Name}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("the operator's move: %d to %q\n%s", r.Status, r.Location, r.Body)
		}
		if u := stored(); u.DepartmentID != market.ID || u.Role != org.Reviewer {
			t.Errorf("after the operator's move: %+v", u)
		}
		wantBody(t, "after the move", op.get(r.Location), "账号信息已修改", market.Name)
	})
}
