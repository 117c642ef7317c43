package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

var formTagRE = regexp.MustCompile(`name="tag" value="([^"]+)"`)

// formTag returns the tag the submit and review forms of the entry page at
// path carry.
func formTag(t *testing.T, c *client, path string) string {
	t.Helper()
	r := c.get(path)
	m := formTagRE.FindStringSubmatch(r.Body)
	if r.Status != http.StatusOK || m == nil {
		t.Fatalf("entry page %s: status %d, no form tag\n%s", path, r.Status, r.Body)
	}
	return m[1]
}

// TestReviewFormBound: the console's approve, reject and submit forms carry
// the tag of the version the page showed. A reviewer's page read before the
// version was sent back, edited and submitted again (same number, other
// content) approves nothing: 409 with a message, the entry stays submitted;
// a page read after approves. A submit form read before another edit saved
// is refused likewise. Before, the forms carried no tag and the approval
// published content the reviewer never saw.
func TestReviewFormBound(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		police, op := f.client(t), f.client(t)
		ptok, otok := police.login("police.admin"), op.login("operator")
		path := createEntry(t, police, entryForm(ptok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes"))
		postOK(t, police, path+"/submit", url.Values{"csrf_token": {ptok}, "tag": {formTag(t, police, path)}}, path+"?msg=submitted")
		seen := formTag(t, op, path)
		postOK(t, op, path+"/reject", url.Values{"csrf_token": {otok}, "tag": {seen}, "reason": {"摘要不清"}}, path+"?msg=rejected")

		stale := formTag(t, police, path)
		edit := entryForm(ptok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes")
		edit.Set("abstract", "改过的摘要")
		edit.Set("edit_tag", editTag(t, police, path))
		postOK(t, police, path+"/edit", edit, path+"?msg=saved")
		r := police.post(path+"/submit", url.Values{"csrf_token": {ptok}, "tag": {stale}})
		wantStatus(t, "submit from a page read before the edit", r, http.StatusConflict)
		wantBody(t, "submit from a page read before the edit", r, "已被他人修改")
		postOK(t, police, path+"/submit", url.Values{"csrf_token": {ptok}, "tag": {formTag(t, police, path)}}, path+"?msg=submitted")

		for _, action := range []string{"approve", "reject"} {
			r = op.post(path+"/"+action, url.Values{"csrf_token": {otok}, "tag": {seen}, "reason": {"再退回"}})
			wantStatus(t, action+" from a page read before the resubmission", r, http.StatusConflict)
			wantBody(t, action+" from a page read before the resubmission", r, "待审核的内容已不是所查看的内容")
		}
		wantBody(t, "after the refusals", op.get(path), `id="approve-entry"`)
		postOK(t, op, path+"/approve", url.Values{"csrf_token": {otok}, "tag": {formTag(t, op, path)}}, path+"?msg=approved")
		wantBody(t, "approved", op.get(path), "改过的摘要")
	})
}
