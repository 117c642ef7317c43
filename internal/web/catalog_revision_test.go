package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// reviseEntry opens a revision of published entry id of dept, its
// abstract marked （修订）.
func reviseEntry(t *testing.T, f *fixture, dept string, id int64) {
	t.Helper()
	ctx := context.Background()
	by := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test", DepartmentID: f.depts[dept].ID}, Editor: true}
	err := f.db.Tx(ctx, func(tx *sqldb.Tx) error {
		e, err := catalog.Get(ctx, tx, by, id)
		if err != nil {
			return err
		}
		r := e.Resource
		r.Abstract += "（修订）"
		_, err = catalog.Update(ctx, tx, by, id, r, f.clock.Now())
		return err
	})
	if err != nil {
		t.Fatalf("revise entry %d: %v", id, err)
	}
}

// TestDiscardRevision: the page of a published entry with a revision being
// compiled offers its department 放弃修订, which asks for 确认放弃修订 and
// then discards the revision and shows the entry with a notice, leaving an
// audit row; without a revision, or with one under review, no button is
// offered, and the operator, another department, a form without the
// confirmation and a revision under review are refused and the revision
// stays.
func TestDiscardRevision(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		police, op, market := f.client(t), f.client(t), f.client(t)
		ptok, otok, mtok := police.login("police.admin"), op.login("operator"), market.login("market.admin")
		id := publish(t, f, "公安分局", "暂住人口登记信息", "01", "002",
			catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, catalog.Item{Name: "姓名", Type: "C", Length: 50})
		path := "/catalog/" + strconv.FormatInt(id, 10)
		working := path + "?view=working"

		wantNoBody(t, "the page without a revision", police.get(path), `id="discard-revision"`)
		reviseEntry(t, f, "公安分局", id)
		wantBody(t, "the page with a revision", police.get(path), `id="discard-revision"`, "放弃修订", "确认放弃修订")
		wantBody(t, "the revision's page", police.get(working), `id="discard-revision"`, "（修订）")
		wantNoBody(t, "the operator's view", op.get(path), `id="discard-revision"`)
		wantNoBody(t, "another department's view", market.get(path), `id="discard-revision"`)

		for _, c := range []struct {
			what   string
			c      *client
			form   url.Values
			status int
			body   string
		}{
			{"without confirmation", police, url.Values{"csrf_token": {ptok}}, http.StatusBadRequest, "请勾选“确认放弃修订”"},
			{"the operator", op, url.Values{"csrf_token": {otok}, "confirm": {"yes"}}, http.StatusForbidden, "只能放弃本部门数据资源的修订"},
			{"another department", market, url.Values{"csrf_token": {mtok}, "confirm": {"yes"}}, http.StatusForbidden, "只能放弃本部门数据资源的修订"},
		} {
			r := c.c.post(path+"/revision/discard", c.form)
			wantStatus(t, c.what, r, c.status)
			wantBody(t, c.what, r, c.body)
			if c.status == http.StatusBadRequest {
				// Only the refused form's box is marked, not the retire
				// form's beside it.
				wantBody(t, c.what, r, `id="discard-confirm" name="confirm" value="yes" required aria-invalid="true"`,
					`id="retire-confirm" name="confirm" value="yes" required>`)
			}
			wantBody(t, c.what+": the revision afterwards", police.get(working), "（修订）")
		}

		postOK(t, police, path+"/revision/discard", url.Values{"csrf_token": {ptok}, "confirm": {"yes"}}, path+"?msg=discarded")
		r := police.get(path + "?msg=discarded")
		wantBody(t, "the entry after the discard", r, "已放弃修订")
		wantNoBody(t, "the entry after the discard", r, `id="discard-revision"`, "（修订）", "?view=working")
		wantNoBody(t, "the working view after the discard", police.get(working), "（修订）")
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE action = 'catalog.revision.discard' AND object_id = $1`,
			strconv.FormatInt(id, 10)); n != 1 {
			t.Errorf("audit rows of the discard: %d, want 1", n)
		}
		r = police.post(path+"/revision/discard", url.Values{"csrf_token": {ptok}, "confirm": {"yes"}})
		wantStatus(t, "a discarded revision again", r, http.StatusConflict)
		wantBody(t, "a discarded revision again", r, "没有正在编制的修订")

		reviseEntry(t, f, "公安分局", id)
		postOK(t, police, path+"/submit", url.Values{"csrf_token": {ptok}}, path+"?msg=submitted")
		wantNoBody(t, "the page of a revision under review", police.get(path), `id="discard-revision"`)
		r = police.post(path+"/revision/discard", url.Values{"csrf_token": {ptok}, "confirm": {"yes"}})
		wantStatus(t, "a revision under review", r, http.StatusConflict)
		wantBody(t, "a revision under review", r, "审核完成前不能放弃")
		wantBody(t, "a revision under review afterwards", police.get(working), "（修订）")
	})
}
