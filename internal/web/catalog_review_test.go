package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/org/orgtest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestPlatformReviewerReviews: a reviewer (审核员) of the platform
// operator's department reviews the catalog in the console — its queue
// counts and lists the submitted entry, the entry's page offers approval
// and rejection, a rejection needs a reason — and the audit log names it;
// the reviewer of another department sees no buttons on its own
// department's entry and is refused, as a department's administrator is,
// with the roles that may.
func TestPlatformReviewerReviews(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := orgtest.CreateUser(ctx, tx, audit.Actor{Kind: audit.ActorSystem, ID: "test"}, org.NewUser{Username: "platform.reviewer",
				DisplayName: "钱审核", DepartmentID: f.depts["数管局"].ID, Role: org.Reviewer, Password: password}, f.clock.Now())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		police := f.client(t)
		ptok := police.login("police.admin")
		path := createEntry(t, police, entryForm(ptok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes", "姓名", "C", "50", "no"))
		postOK(t, police, path+"/submit", url.Values{"csrf_token": {ptok}}, path+"?msg=submitted")

		other := f.client(t)
		otok := other.login("reviewer") // 公安分局's reviewer
		r := other.get(path)
		wantStatus(t, "own department's reviewer reads", r, http.StatusOK)
		wantNoBody(t, "own department's reviewer reads", r, `id="approve-entry"`, `id="reject-entry"`)
		for _, action := range []string{"approve", "reject"} {
			r = other.post(path+"/"+action, url.Values{"csrf_token": {otok}, "reason": {"不完整"}})
			wantStatus(t, "another department's reviewer "+action, r, http.StatusForbidden)
			wantBody(t, "another department's reviewer "+action, r, "只有平台管理员或政务数据主管部门的审核员可以审核数据资源目录")
			r = police.post(path+"/"+action, url.Values{"csrf_token": {ptok}, "reason": {"不完整"}})
			wantStatus(t, "dept "+action, r, http.StatusForbidden)
			wantBody(t, "dept "+action, r, "只有平台管理员或政务数据主管部门的审核员可以审核数据资源目录")
		}

		rev := f.client(t)
		rtok := rev.login("platform.reviewer")
		r = rev.get("/catalog?view=submitted")
		wantStatus(t, "queue", r, http.StatusOK)
		wantBody(t, "queue", r, "户籍人口基本信息", "共 1 个", `<span class="badge">1</span>`)
		r = rev.get(path)
		wantStatus(t, "entry under review", r, http.StatusOK)
		wantBody(t, "entry under review", r, `id="approve-entry"`, `id="reject-entry"`)
		wantNoBody(t, "entry under review", r, `id="edit-entry"`, `id="retire-entry"`)
		r = rev.post(path+"/reject", url.Values{"csrf_token": {rtok}, "reason": {" "}})
		wantStatus(t, "reject without reason", r, http.StatusBadRequest)
		wantBody(t, "reject without reason", r, "退回时必须说明理由")
		postOK(t, rev, path+"/reject", url.Values{"csrf_token": {rtok}, "reason": {"摘要过于简单"}}, path+"?msg=rejected")
		wantBody(t, "rejected", police.get(path), "审核退回理由：摘要过于简单")
		postOK(t, police, path+"/submit", url.Values{"csrf_token": {ptok}}, path+"?msg=submitted")
		postOK(t, rev, path+"/approve", url.Values{"csrf_token": {rtok}}, path+"?msg=approved")
		wantBody(t, "published", police.get(path), "已发布")
		wantBody(t, "queue emptied", rev.get("/catalog?view=submitted"), "共 0 个")

		for _, action := range []string{"catalog.reject", "catalog.approve"} {
			rows, _, err := audit.List(ctx, db.Read(), audit.Filter{Action: action, Outcome: audit.OK})
			if err != nil || len(rows) != 1 || rows[0].Actor.Name != "platform.reviewer" || rows[0].Actor.DepartmentID != f.depts["数管局"].ID {
				t.Errorf("audit rows of %s: %+v %v, want 1 by platform.reviewer of 数管局", action, rows, err)
			}
			// The refusals of the department's reviewer and administrator.
			if rows, _, err := audit.List(ctx, db.Read(), audit.Filter{Action: action, Outcome: audit.Denied}); err != nil || len(rows) != 2 {
				t.Errorf("denied rows of %s: %+v %v, want 2", action, rows, err)
			}
		}
	})
}

// TestHomeReviewQueue: the home page shows those who review the catalog
// (the operator, the platform's reviewers) how many entries wait in the
// review queue, linked to it and agreeing with its tab; a draft is not
// counted, and a department's administrator or reviewer sees no such
// count. On both engines.
func TestHomeReviewQueue(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := orgtest.CreateUser(ctx, tx, audit.Actor{Kind: audit.ActorSystem, ID: "test"}, org.NewUser{Username: "platform.reviewer",
				DisplayName: "钱审核", DepartmentID: f.depts["数管局"].ID, Role: org.Reviewer, Password: password}, f.clock.Now())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		police := f.client(t)
		ptok := police.login("police.admin")
		for _, name := range []string{"户籍人口基本信息", "出生医学证明信息"} {
			path := createEntry(t, police, entryForm(ptok, name, "公民身份号码", "C", "18", "yes", "姓名", "C", "50", "no"))
			postOK(t, police, path+"/submit", url.Values{"csrf_token": {ptok}}, path+"?msg=submitted")
		}
		createEntry(t, police, entryForm(ptok, "死亡医学证明信息", "公民身份号码", "C", "18", "yes"))

		const queue = `<div class="stat-value">2</div>
    <div class="stat-label"><a href="/catalog?view=submitted">待审核</a>`
		for _, who := range []string{"operator", "platform.reviewer"} {
			c := f.client(t)
			c.login(who)
			wantBody(t, who+"'s home", c.get("/"), queue)
			wantBody(t, who+"'s queue", c.get("/catalog?view=submitted"), "共 2 个", `<span class="badge">2</span>`)
		}
		for _, who := range []string{"reviewer", "police.admin"} {
			c := f.client(t)
			c.login(who)
			r := c.get("/")
			wantStatus(t, who+"'s home", r, http.StatusOK)
			wantNoBody(t, who+"'s home", r, "待审核")
		}
	})
}

// TestRevisionInReviewQueue: a revision of a published entry (annual
// maintenance), submitted, waits in the review queue — the 待审核 tab lists
// and counts it, marked 修订待审核, and the home page counts it — while the
// entry stays in the published list; sent back, it is in its department's
// 草稿与退回 tab, marked 修订已退回; approved, it leaves the queue. On both
// engines.
func TestRevisionInReviewQueue(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		police := f.client(t)
		ptok := police.login("police.admin")
		op := f.client(t)
		otok := op.login("operator")
		form := entryForm(ptok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes", "姓名", "C", "50", "no")
		path := createEntry(t, police, form)
		postOK(t, police, path+"/submit", url.Values{"csrf_token": {ptok}}, path+"?msg=submitted")
		postOK(t, op, path+"/approve", url.Values{"csrf_token": {otok}}, path+"?msg=approved")

		form.Set("update_frequency", "daily")
		postOK(t, police, path+"/edit", form, path+"?view=working&msg=saved")
		wantBody(t, "draft revision", police.get("/catalog?view=drafts"), "共 1 个", "户籍人口基本信息", "修订草稿")
		postOK(t, police, path+"/submit", url.Values{"csrf_token": {ptok}}, path+"?msg=submitted")
		const queue = `<div class="stat-value">1</div>
    <div class="stat-label"><a href="/catalog?view=submitted">待审核</a>`
		wantBody(t, "home", op.get("/"), queue)
		wantBody(t, "queue", op.get("/catalog?view=submitted"), "共 1 个", `<span class="badge">1</span>`, "户籍人口基本信息", "修订待审核")
		wantBody(t, "published list", op.get("/catalog"), "共 1 个", "户籍人口基本信息", "修订待审核")
		wantNoBody(t, "drafts", police.get("/catalog?view=drafts"), "户籍人口基本信息")

		postOK(t, op, path+"/reject", url.Values{"csrf_token": {otok}, "reason": {"更新周期与业务不符"}}, path+"?msg=rejected")
		wantBody(t, "queue after rejection", op.get("/catalog?view=submitted"), "共 0 个")
		wantBody(t, "drafts after rejection", police.get("/catalog?view=drafts"), "共 1 个", "户籍人口基本信息", "修订已退回")

		postOK(t, police, path+"/submit", url.Values{"csrf_token": {ptok}}, path+"?msg=submitted")
		postOK(t, op, path+"/approve", url.Values{"csrf_token": {otok}}, path+"?msg=approved")
		wantBody(t, "queue after approval", op.get("/catalog?view=submitted"), "共 0 个")
		r := op.get("/catalog")
		wantBody(t, "published after approval", r, "共 1 个", "户籍人口基本信息")
		wantNoBody(t, "published after approval", r, "修订")
	})
}
