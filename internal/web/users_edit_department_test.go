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

// TestEditUserDepartmentRefused: a department administrator's edit that
// names another department, by its name or by a text that names none
// (its id), is refused 403 (只能管理本部门的账号) with nothing changed,
// the display name sent beside it neither, and leaves a denied
// user.update row on the account, as PATCH /api/v1/users/{id} with
// another department_id does; the console read the field for the
// operator only, so it answered 303 ?msg=updated, applied the rest and
// audited nothing. Its own department named is no move and is saved. On
// both engines.
func TestEditUserDepartmentRefused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		target := f.users["locked"]
		id := strconv.FormatInt(target.ID, 10)
		page := "/org/users/" + id
		stored := func() org.User {
			u, err := org.UserByID(t.Context(), db.Read(), target.ID)
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		denied := func() int {
			return count(t, db, `SELECT count(*) FROM audit_log WHERE outcome = 'denied' AND action = 'user.update'
				AND object_type = 'user' AND object_id = $1 AND detail = '{"reason":"forbidden"}'`, id)
		}
		admin := f.client(t)
		token := admin.login("police.admin")
		market := f.depts["市场监管局"]
		for i, dept := range []string{market.Name, strconv.FormatInt(market.ID, 10)} {
			r := admin.post(page+"/edit", url.Values{"csrf_token": {token}, "display_name": {"周调岗"}, "role": {"reviewer"},
				"department": {dept}})
			wantStatus(t, "department "+dept, r, http.StatusForbidden)
			wantBody(t, "department "+dept, r, "只能管理本部门的账号")
			if u := stored(); u.DepartmentID != target.DepartmentID || u.DisplayName != target.DisplayName {
				t.Errorf("after the refused move to %s: %+v", dept, u)
			}
			if n := denied(); n != i+1 {
				t.Errorf("denied user.update rows after the refused move to %s: %d, want %d", dept, n, i+1)
			}
		}
		r := admin.post(page+"/edit", url.Values{"csrf_token": {token}, "display_name": {"周调岗"}, "role": {"reviewer"},
			"department": {f.depts["公安分局"].Name}})
		if r.Status != http.StatusSeeOther || r.Location != page+"?msg=updated" {
			t.Fatalf("the administrator's change within its department: %d to %q\n%s", r.Status, r.Location, r.Body)
		}
		if u := stored(); u.DepartmentID != target.DepartmentID || u.DisplayName != "周调岗" {
			t.Errorf("after the change within its department: %+v", u)
		}
	})
}
