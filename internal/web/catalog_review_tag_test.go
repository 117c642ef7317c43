package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
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

// TestReviewFormsOnRevisionTab: a published entry's revision is submitted.
// Its default page shows the version in force: it offers no approve or
// reject form (which carried the revision's tag, approving content the page
// did not show) but a notice linking to the revision's tab, whose forms
// carry the revision's tag and approve it. Before, the default page had the
// forms.
func TestReviewFormsOnRevisionTab(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		police, op := f.client(t), f.client(t)
		ptok, otok := police.login("police.admin"), op.login("operator")
		path := createEntry(t, police, entryForm(ptok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes"))
		postOK(t, police, path+"/submit", url.Values{"csrf_token": {ptok}}, path+"?msg=submitted")
		postOK(t, op, path+"/approve", url.Values{"csrf_token": {otok}}, path+"?msg=approved")
		edit := entryForm(ptok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes")
		edit.Set("abstract", "修订后的摘要")
		edit.Set("edit_tag", editTag(t, police, path))
		postOK(t, police, path+"/edit", edit, path+"?view=working&msg=saved")
		postOK(t, police, path+"/submit", url.Values{"csrf_token": {ptok}, "tag": {formTag(t, police, path+"?view=working")}}, path+"?msg=submitted")

		r := op.get(path)
		wantStatus(t, "default page", r, http.StatusOK)
		for _, s := range []string{`id="approve-entry"`, `id="reject-entry"`, `name="tag"`} {
			if strings.Contains(r.Body, s) {
				t.Errorf("default page of a submitted revision has %s", s)
			}
		}
		wantBody(t, "default page", r, `id="review-on-working"`, `href="`+path+`?view=working" id="review-working-link"`)
		r = op.get(path + "?view=working")
		wantBody(t, "revision tab", r, `id="approve-entry"`, `id="reject-entry"`, `name="view" value="working"`, "修订后的摘要")
		if strings.Contains(r.Body, `id="review-on-working"`) {
			t.Error("revision tab points to itself")
		}
		// A refused rejection (no reason) shows the revision's tab again.
		r = op.post(path+"/reject", url.Values{"csrf_token": {otok}, "tag": {formTag(t, op, path+"?view=working")}, "view": {"working"}})
		wantStatus(t, "reject without a reason", r, http.StatusBadRequest)
		wantBody(t, "reject without a reason", r, `id="approve-entry"`, "修订后的摘要")
		postOK(t, op, path+"/approve", url.Values{"csrf_token": {otok}, "tag": {formTag(t, op, path+"?view=working")}}, path+"?msg=approved")
		wantBody(t, "approved", op.get(path), "修订后的摘要")
	})
}

// TestStaleApproveFormWritesNothing: the console's approval from a page read
// before the version was sent back, edited and submitted again is refused
// and writes nothing. Before, the conflicts were rechecked and committed
// first: with a refresh of the source conflicts pending, the refused
// approval ran and cleared it.
func TestStaleApproveFormWritesNothing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		police, op := f.client(t), f.client(t)
		ptok, otok := police.login("police.admin"), op.login("operator")
		path := createEntry(t, police, entryForm(ptok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes"))
		postOK(t, police, path+"/submit", url.Values{"csrf_token": {ptok}}, path+"?msg=submitted")
		seen := formTag(t, op, path)
		postOK(t, op, path+"/reject", url.Values{"csrf_token": {otok}, "tag": {seen}, "reason": {"摘要不清"}}, path+"?msg=rejected")
		edit := entryForm(ptok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes")
		edit.Set("abstract", "改过的摘要")
		edit.Set("edit_tag", editTag(t, police, path))
		postOK(t, police, path+"/edit", edit, path+"?msg=saved")
		postOK(t, police, path+"/submit", url.Values{"csrf_token": {ptok}}, path+"?msg=submitted")

		ctx := context.Background()
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE catalog_source_lock SET refresh_pending = TRUE WHERE id = 1`)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		state := func() string {
			var pending bool
			var rows, audits int
			if err := db.Read().QueryRowContext(ctx, `SELECT (SELECT refresh_pending FROM catalog_source_lock WHERE id = 1),
				(SELECT count(*) FROM catalog_source_conflicts), (SELECT count(*) FROM audit_log)`).Scan(&pending, &rows, &audits); err != nil {
				t.Fatal(err)
			}
			return fmt.Sprint(pending, rows, audits)
		}
		before := state()
		r := op.post(path+"/approve", url.Values{"csrf_token": {otok}, "tag": {seen}})
		wantStatus(t, "approve from a stale page", r, http.StatusConflict)
		if after := state(); after != before {
			t.Errorf("refused approval wrote: refresh pending, conflicts, audit rows %s, were %s", after, before)
		}
	})
}
