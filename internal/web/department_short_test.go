package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestEditDepartmentShortName: the operator's 修改 form shows a
// department's short name and changes it (the catalog import names
// providers by it): a control character is refused beside the field and
// changes nothing; a new one is stored trimmed and audited with the old.
func TestEditDepartmentShortName(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		d := f.depts["公安分局"]
		edit := "/org/departments/" + strconv.FormatInt(d.ID, 10) + "/edit"
		op := f.client(t)
		token := op.login("operator")
		wantBody(t, "the form", op.get(edit), `name="short_name"`, `value="`+d.ShortName+`"`)
		stored := func() string {
			got, err := org.DepartmentByID(t.Context(), db.Read(), d.ID)
			if err != nil {
				t.Fatal(err)
			}
			return got.ShortName
		}

		r := op.post(edit, url.Values{"csrf_token": {token}, "name": {d.Name}, "short_name": {"南海\x07公安"}, "uscc": {d.USCC}})
		wantStatus(t, "control character", r, http.StatusBadRequest)
		wantBody(t, "control character", r, "部门简称含有控制字符")
		if got := stored(); got != d.ShortName {
			t.Fatalf("refused short name stored %q, want %q", got, d.ShortName)
		}

		r = op.post(edit, url.Values{"csrf_token": {token}, "name": {d.Name}, "short_name": {" 南海公安 "}, "uscc": {d.USCC}})
		if r.Status != http.StatusSeeOther || r.Location != "/org?msg=department_updated#departments" {
			t.Fatalf("new short name: %d to %q\n%s", r.Status, r.Location, r.Body)
		}
		if got := stored(); got != "南海公安" {
			t.Errorf("short name stored %q, want 南海公安", got)
		}
		wantBody(t, "the form after", op.get(edit), `value="南海公安"`)
		rows, _, err := audit.List(t.Context(), db.Read(), audit.Filter{Action: "department.update"})
		if err != nil || len(rows) != 1 || rows[0].Detail != `{"old_short_name":"`+d.ShortName+`","short_name":"南海公安"}` {
			t.Errorf("department.update rows: %+v %v", rows, err)
		}
	})
}
