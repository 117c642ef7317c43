package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCatalogEntryAnnualConfirm: a published entry whose yearly review is
// due and that has no revision offers its department, on its default page,
// 内容无变化，提交年度复核: a form carrying the page's tag that submits it
// unchanged (a revision identical to the version in force); the reviewer's
// approval clears 年度维护到期. The banner offers both ways. The button is
// not offered while the review is not due, to a reviewer, or once the
// revision is submitted; a form from a page read before another edit is
// refused. Before, the page offered only 新建版本, and an unchanged entry
// could not be submitted at all.
func TestCatalogEntryAnnualConfirm(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		police, op := f.client(t), f.client(t)
		ptok, otok := police.login("police.admin"), op.login("operator")
		path := createEntry(t, police, entryForm(ptok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes"))
		postOK(t, police, path+"/submit", url.Values{"csrf_token": {ptok}, "tag": {formTag(t, police, path)}}, path+"?msg=submitted")
		postOK(t, op, path+"/approve", url.Values{"csrf_token": {otok}, "tag": {formTag(t, op, path)}}, path+"?msg=approved")
		wantNoBody(t, "just published", police.get(path), `id="confirm-unchanged"`, "年度维护到期")
		r := police.post(path+"/submit", url.Values{"csrf_token": {ptok}})
		wantStatus(t, "confirmation not due", r, http.StatusConflict)
		wantBody(t, "confirmation not due", r, "年度复核")

		id := path[strings.LastIndex(path, "/")+1:]
		if _, err := db.Write().ExecContext(context.Background(), `UPDATE catalog_entries SET reviewed_at = $2 WHERE id = $1`,
			id, time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		page := police.get(path)
		wantBody(t, "review due", page, "年度维护到期", `id="confirm-unchanged"`, "内容无变化，提交年度复核", "新建版本修改后提交审核", "确认无变化后提交年度复核")
		wantNoBody(t, "review due, reviewer's page", op.get(path), `id="confirm-unchanged"`)
		m := formTagRE.FindStringSubmatch(page.Body)
		if m == nil {
			t.Fatalf("confirmation form carries no tag:\n%s", page.Body)
		}
		r = police.post(path+"/submit", url.Values{"csrf_token": {ptok}, "tag": {"0-1-stale"}})
		wantStatus(t, "confirmation from a stale page", r, http.StatusConflict)
		postOK(t, police, path+"/submit", url.Values{"csrf_token": {ptok}, "tag": {m[1]}}, path+"?msg=submitted")
		page = police.get(path)
		wantNoBody(t, "confirmation submitted", page, `id="confirm-unchanged"`)
		wantBody(t, "confirmation submitted", page, "修订稿 第2版")

		postOK(t, op, path+"/approve", url.Values{"csrf_token": {otok}, "tag": {formTag(t, op, path+"?view=working")}, "view": {"working"}},
			path+"?msg=approved")
		wantNoBody(t, "confirmation approved", police.get(path), "年度维护到期", `id="confirm-unchanged"`)
	})
}

// TestCatalogEntryReviewDueClock: the console judges 年度维护到期 at its
// configured clock, as it judges 内容无变化，提交年度复核 (catalog.ConfirmDue)
// and the 年度维护到期 tab: an entry approved on the fixture's 2026-10-01 is
// due on a clock four years on, and not once the clock is back. Before,
// the entry page read catalog.Get's flag, judged by the real clock.
func TestCatalogEntryReviewDueClock(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		police, op := f.client(t), f.client(t)
		ptok, otok := police.login("police.admin"), op.login("operator")
		path := createEntry(t, police, entryForm(ptok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes"))
		postOK(t, police, path+"/submit", url.Values{"csrf_token": {ptok}, "tag": {formTag(t, police, path)}}, path+"?msg=submitted")
		postOK(t, op, path+"/approve", url.Values{"csrf_token": {otok}, "tag": {formTag(t, op, path)}}, path+"?msg=approved")
		for _, c := range []struct {
			name string
			add  time.Duration
			due  bool
		}{
			{"2030", 4 * 365 * 24 * time.Hour, true},
			{"back in 2026", -4 * 365 * 24 * time.Hour, false},
		} {
			f.clock.Add(c.add)
			police := f.loggedIn(t, "police.admin")
			check := wantNoBody
			if c.due {
				check = wantBody
			}
			check(t, c.name, police.get(path), `id="review-due"`, `id="confirm-unchanged"`)
			check(t, c.name+", 年度维护到期 tab", police.get("/catalog?view=review_due"), "户籍人口基本信息")
		}
	})
}
