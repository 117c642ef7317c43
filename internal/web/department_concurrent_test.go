package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestEditDepartmentConcurrent: two operators open a department's 修改
// form; A renames it, then B, whose form was loaded before, changes only
// the short name and saves: B is refused (409) and shown the department as
// now stored, A's name kept, rather than B's stale name reverting it.
// Saving again from the form shown then saves B's values.
func TestEditDepartmentConcurrent(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		d := f.depts["公安分局"]
		edit := "/org/departments/" + strconv.FormatInt(d.ID, 10) + "/edit"
		op := f.client(t)
		token := op.login("operator")
		tagOf := func(body string) string {
			t.Helper()
			m := regexp.MustCompile(`name="edit_tag" value="([^"]*)"`).FindStringSubmatch(body)
			if m == nil || m[1] == "" {
				t.Fatalf("no edit_tag in the form:\n%s", body)
			}
			return m[1]
		}
		tagA, tagB := tagOf(op.get(edit).Body), tagOf(op.get(edit).Body)
		r := op.post(edit, url.Values{"csrf_token": {token}, "edit_tag": {tagA}, "name": {"佛山市公安局南海分局（新）"},
			"short_name": {d.ShortName}, "uscc": {d.USCC}})
		wantStatus(t, "A's rename", r, http.StatusSeeOther)
		r = op.post(edit, url.Values{"csrf_token": {token}, "edit_tag": {tagB}, "name": {d.Name}, "short_name": {"南海公安"}, "uscc": {d.USCC}})
		wantStatus(t, "B's stale save", r, http.StatusConflict)
		wantBody(t, "B's stale save", r, "已被他人修改", "佛山市公安局南海分局（新）", `value="南海公安"`)
		stored := func() org.Department {
			got, err := org.DepartmentByID(t.Context(), db.Read(), d.ID)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		if got := stored(); got.Name != "佛山市公安局南海分局（新）" || got.ShortName != d.ShortName {
			t.Fatalf("after B's stale save: %q %q, want A's name and the old short name", got.Name, got.ShortName)
		}
		r = op.post(edit, url.Values{"csrf_token": {token}, "edit_tag": {tagOf(r.Body)}, "name": {"佛山市公安局南海分局（新）"},
			"short_name": {"南海公安"}, "uscc": {d.USCC}})
		wantStatus(t, "B's save from the refreshed form", r, http.StatusSeeOther)
		if got := stored(); got.Name != "佛山市公安局南海分局（新）" || got.ShortName != "南海公安" {
			t.Errorf("after B's second save: %q %q", got.Name, got.ShortName)
		}
	})
}

// TestEditDepartmentStaleParent: a department's parent changed through
// the API after its 修改 form was opened (the form has no parent field,
// but the edit tag covers it) refuses the save (409), and the panel of
// what is now stored names the region and the new parent, not only the
// name, short name and code the operator would find unchanged.
func TestEditDepartmentStaleParent(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		d, parent := f.depts["公安分局"], f.depts["数管局"]
		edit := "/org/departments/" + strconv.FormatInt(d.ID, 10) + "/edit"
		op := f.client(t)
		token := op.login("operator")
		m := regexp.MustCompile(`name="edit_tag" value="([^"]*)"`).FindStringSubmatch(op.get(edit).Body)
		if m == nil {
			t.Fatal("no edit_tag in the form")
		}
		if err := db.Tx(t.Context(), func(tx *sqldb.Tx) error {
			_, err := org.UpdateDepartment(t.Context(), tx, audit.Actor{Kind: audit.ActorSystem, ID: "api"}, d.ID, org.DepartmentChange{Name: d.Name, USCC: d.USCC, ParentID: &parent.ID}, f.clock.Now())
			return err
		}); err != nil {
			t.Fatal(err)
		}
		r := op.post(edit, url.Values{"csrf_token": {token}, "edit_tag": {m[1]}, "name": {d.Name}, "short_name": {"南海公安"}, "uscc": {d.USCC}})
		wantStatus(t, "the stale save", r, http.StatusConflict)
		panel := regexp.MustCompile(`(?s)<div class="alert" id="department-current">.*?</div>`).FindString(r.Body)
		for _, want := range []string{"行政区划：南海区", "440605", "上级部门：" + parent.Name} {
			if !strings.Contains(panel, want) {
				t.Errorf("the panel of what is stored lacks %q:\n%s", want, panel)
			}
		}
	})
}
