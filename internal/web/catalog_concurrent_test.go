package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

var editTagRE = regexp.MustCompile(`name="edit_tag" value="([^"]+)"`)

// editTag opens the edit form of the entry at path and returns the tag it
// carries.
func editTag(t *testing.T, c *client, path string) string {
	t.Helper()
	r := c.get(path + "/edit")
	m := editTagRE.FindStringSubmatch(r.Body)
	if r.Status != http.StatusOK || m == nil {
		t.Fatalf("edit form of %s: status %d, no edit tag\n%s", path, r.Status, r.Body)
	}
	return m[1]
}

// TestEditFormConcurrentEdit: two edit forms opened on one entry, a draft
// and a published one (whose first save opens a revision): the first saves;
// the second, saved after it, is refused with 409, shown again with what
// was typed and a message that someone else changed the entry, and the
// first edit stays. A form opened after the first save saves.
func TestEditFormConcurrentEdit(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		police, op := f.client(t), f.client(t)
		ptok, otok := police.login("police.admin"), op.login("operator")
		draft := createEntry(t, police, entryForm(ptok, "户籍人口变动信息", "公民身份号码", "C", "18", "yes"))
		published := createEntry(t, police, entryForm(ptok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes"))
		postOK(t, police, published+"/submit", url.Values{"csrf_token": {ptok}}, published+"?msg=submitted")
		postOK(t, op, published+"/approve", url.Values{"csrf_token": {otok}}, published+"?msg=approved")
		for _, c := range []struct{ path, name, saved string }{
			{draft, "户籍人口变动信息", draft + "?msg=saved"},
			{published, "户籍人口基本信息", published + "?view=working&msg=saved"},
		} {
			stale := editTag(t, police, c.path)
			a := entryForm(ptok, c.name+"（甲）", "公民身份号码", "C", "18", "yes")
			a.Set("edit_tag", stale)
			postOK(t, police, c.path+"/edit", a, c.saved)
			b := entryForm(ptok, c.name, "公民身份号码", "C", "18", "yes")
			b.Set("abstract", "乙只改了摘要")
			b.Set("edit_tag", stale)
			r := police.post(c.path+"/edit", b)
			wantStatus(t, c.name+": stale save", r, http.StatusConflict)
			wantBody(t, c.name+": stale save", r, "已被他人修改，请刷新后重新编辑", "乙只改了摘要", `value="`+stale+`"`)
			view := c.path
			if c.path == published {
				view += "?view=working"
			}
			wantBody(t, c.name+": after the stale save", police.get(view), c.name+"（甲）")
			a.Set("abstract", "甲改了摘要")
			a.Set("edit_tag", editTag(t, police, c.path))
			postOK(t, police, c.path+"/edit", a, c.saved)
		}
	})
}
