package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestSubmitFormOnRevisionTab: a published entry's revision is being
// compiled. Its default page shows the version in force: it offers no
// submit form (which carried the revision's tag, submitting content the
// page did not show) but a link to the revision's tab, whose submit form
// carries the revision's tag and posts view=working, so that a refused
// submission shows that tab again. An entry never published offers the
// form on its one page. Before, the default page had the form.
func TestSubmitFormOnRevisionTab(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		police, op := f.client(t), f.client(t)
		ptok, otok := police.login("police.admin"), op.login("operator")
		path := createEntry(t, police, entryForm(ptok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes"))
		wantBody(t, "entry never published", police.get(path), `id="submit-entry"`, `name="tag"`)
		postOK(t, police, path+"/submit", url.Values{"csrf_token": {ptok}, "tag": {formTag(t, police, path)}}, path+"?msg=submitted")
		postOK(t, op, path+"/approve", url.Values{"csrf_token": {otok}, "tag": {formTag(t, op, path)}}, path+"?msg=approved")
		edit := entryForm(ptok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes")
		edit.Set("abstract", "修订后的摘要")
		edit.Set("edit_tag", editTag(t, police, path))
		postOK(t, police, path+"/edit", edit, path+"?view=working&msg=saved")

		r := police.get(path)
		wantStatus(t, "default page", r, http.StatusOK)
		for _, s := range []string{`id="submit-entry"`, `action="` + path + `/submit"`, "修订后的摘要"} {
			if strings.Contains(r.Body, s) {
				t.Errorf("default page of a revision being compiled has %s", s)
			}
		}
		wantBody(t, "default page", r, `href="`+path+`?view=working" class="btn btn-primary" id="submit-working-link"`)
		r = police.get(path + "?view=working")
		wantBody(t, "revision tab", r, `id="submit-entry"`, `name="view" value="working"`, "修订后的摘要")
		if strings.Contains(r.Body, `id="submit-working-link"`) {
			t.Error("revision tab points to itself")
		}
		seen := formTag(t, police, path+"?view=working")

		// Another edit saved since: the form read before is refused, and the
		// revision's tab shows again with the newer content.
		edit.Set("abstract", "再次修订的摘要")
		edit.Set("edit_tag", editTag(t, police, path))
		postOK(t, police, path+"/edit", edit, path+"?view=working&msg=saved")
		r = police.post(path+"/submit", url.Values{"csrf_token": {ptok}, "tag": {seen}, "view": {"working"}})
		wantStatus(t, "submit from a page read before the edit", r, http.StatusConflict)
		wantBody(t, "submit from a page read before the edit", r, "已被他人修改", `id="submit-entry"`, "再次修订的摘要")
		postOK(t, police, path+"/submit", url.Values{"csrf_token": {ptok}, "tag": {formTag(t, police, path+"?view=working")},
			"view": {"working"}}, path+"?msg=submitted")
		wantBody(t, "submitted", op.get(path+"?view=working"), `id="approve-entry"`, "再次修订的摘要")
	})
}
