package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDestructiveFormsBound: the console's delete, discard, retire,
// withdraw and retirement review forms carry the tag of the entry as the
// page was read, as the submit and review forms do, and a form read before
// another change saved is refused (409, the message of a concurrent change)
// with nothing changed: the draft and the revision stay, no retirement is
// asked, the request stays under review. A form read after it acts. Before,
// the forms carried no tag and the actions ignored it.
func TestDestructiveFormsBound(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		police, op := f.client(t), f.client(t)
		ptok, otok := police.login("police.admin"), op.login("operator")
		form := entryForm(ptok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes")
		edit := func(path, abstract, saved string) {
			t.Helper()
			e := entryForm(ptok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes")
			e.Set("abstract", abstract)
			e.Set("edit_tag", editTag(t, police, path))
			postOK(t, police, path+"/edit", e, saved)
		}
		refused := func(what string, r response) {
			t.Helper()
			wantStatus(t, what, r, http.StatusConflict)
			wantBody(t, what, r, "已被他人修改")
		}

		// A draft edited since the page was read is not deleted.
		path := createEntry(t, police, form)
		stale := formTag(t, police, path)
		edit(path, "删除前改过的摘要", path+"?msg=saved")
		refused("delete from a page read before the edit",
			police.post(path+"/delete", url.Values{"csrf_token": {ptok}, "confirm": {"yes"}, "tag": {stale}}))
		wantBody(t, "draft after the refused deletion", police.get(path), "删除前改过的摘要")
		postOK(t, police, path+"/delete", url.Values{"csrf_token": {ptok}, "confirm": {"yes"}, "tag": {formTag(t, police, path)}},
			"/catalog?view=drafts&msg=deleted")

		// A revision edited since the page was read is not discarded.
		path = createEntry(t, police, form)
		postOK(t, police, path+"/submit", url.Values{"csrf_token": {ptok}}, path+"?msg=submitted")
		postOK(t, op, path+"/approve", url.Values{"csrf_token": {otok}}, path+"?msg=approved")
		edit(path, "修订稿第一稿", path+"?view=working&msg=saved")
		stale = formTag(t, police, path+"?view=working")
		edit(path, "修订稿第二稿", path+"?view=working&msg=saved")
		refused("discard from a page read before the edit",
			police.post(path+"/revision/discard", url.Values{"csrf_token": {ptok}, "confirm": {"yes"}, "tag": {stale}}))
		wantBody(t, "revision after the refused discard", police.get(path+"?view=working"), "修订稿第二稿")
		postOK(t, police, path+"/revision/discard", url.Values{"csrf_token": {ptok}, "confirm": {"yes"}, "tag": {formTag(t, police, path)}},
			path+"?msg=discarded")

		// The retirement's steps: each refused from a page read before a
		// revision was opened or discarded.
		retire := func(tag string) response {
			return police.post(path+"/retire", url.Values{"csrf_token": {ptok}, "confirm": {"yes"}, "reason": {"职能调整"}, "tag": {tag}})
		}
		stale = formTag(t, police, path)
		edit(path, "注销前的修订稿", path+"?view=working&msg=saved")
		refused("retire from a page read before the revision", retire(stale))
		if r := police.get(path); strings.Contains(r.Body, `id="withdraw-retire"`) {
			t.Fatalf("the refused retirement asked for it")
		}
		if r := retire(formTag(t, police, path)); r.Status != http.StatusSeeOther || r.Location != path+"?msg=retire_requested" {
			t.Fatalf("retire from the current page: %d to %q\n%s", r.Status, r.Location, r.Body)
		}
		stale = formTag(t, police, path)
		postOK(t, police, path+"/revision/discard", url.Values{"csrf_token": {ptok}, "confirm": {"yes"}}, path+"?msg=discarded")
		refused("withdraw from a page read before the discard",
			police.post(path+"/retire/withdraw", url.Values{"csrf_token": {ptok}, "tag": {stale}}))
		wantBody(t, "request after the refused withdrawal", police.get(path), `id="withdraw-retire"`)

		stale = formTag(t, op, path)
		edit(path, "审核注销时的修订稿", path+"?view=working&msg=saved")
		for _, action := range []string{"approve", "reject"} {
			refused(action+" retirement from a page read before the revision",
				op.post(path+"/retire/"+action, url.Values{"csrf_token": {otok}, "reason": {"仍在使用"}, "tag": {stale}}))
		}
		wantBody(t, "request after the refused reviews", op.get(path), `id="approve-retire"`)
		postOK(t, op, path+"/retire/approve", url.Values{"csrf_token": {otok}, "tag": {formTag(t, op, path)}}, path+"?msg=retire_approved")
		wantBody(t, "retired", op.get(path), "已注销")
	})
}
