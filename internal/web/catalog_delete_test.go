package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDeleteDraft: the page of a draft offers its department 删除草稿,
// which asks for 确认删除 and then deletes the draft and returns to the
// drafts with a notice, leaving an audit row; the operator, another
// department and a published entry are refused and the entry stays.
func TestDeleteDraft(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		police, op, market := f.client(t), f.client(t), f.client(t)
		ptok, otok, mtok := police.login("police.admin"), op.login("operator"), market.login("market.admin")
		path := createEntry(t, police, entryForm(ptok, "误建的户籍草稿", "公民身份号码", "C", "18", "yes", "姓名", "C", "50", "no"))
		id, _ := strconv.ParseInt(path[len("/catalog/"):], 10, 64)
		pubPath := "/catalog/" + strconv.FormatInt(publish(t, f, "公安分局", "暂住人口登记信息", "01", "002",
			catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, catalog.Item{Name: "姓名", Type: "C", Length: 50}), 10)

		wantBody(t, "the draft's page", police.get(path), `id="delete-entry"`, "删除草稿", "确认删除")
		wantNoBody(t, "a published entry's page", police.get(pubPath), `id="delete-entry"`)
		wantNoBody(t, "the operator's view of the draft", op.get(path), `id="delete-entry"`)

		for _, c := range []struct {
			what   string
			c      *client
			path   string
			form   url.Values
			status int
		}{
			{"without confirmation", police, path, url.Values{"csrf_token": {ptok}}, http.StatusBadRequest},
			{"the operator", op, path, url.Values{"csrf_token": {otok}, "confirm": {"yes"}}, http.StatusForbidden},
			{"another department", market, path, url.Values{"csrf_token": {mtok}, "confirm": {"yes"}}, http.StatusNotFound},
			{"a published entry", police, pubPath, url.Values{"csrf_token": {ptok}, "confirm": {"yes"}}, http.StatusConflict},
		} {
			r := c.c.post(c.path+"/delete", c.form)
			wantStatus(t, c.what, r, c.status)
			wantStatus(t, c.what+": the entry afterwards", police.get(c.path), http.StatusOK)
		}

		postOK(t, police, path+"/delete", url.Values{"csrf_token": {ptok}, "confirm": {"yes"}}, "/catalog?view=drafts&msg=deleted")
		wantBody(t, "the drafts after the deletion", police.get("/catalog?view=drafts&msg=deleted"), "删除了草稿")
		wantStatus(t, "the deleted draft", police.get(path), http.StatusNotFound)
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE action = 'catalog.delete' AND object_id = $1`, strconv.FormatInt(id, 10)); n != 1 {
			t.Errorf("audit rows of the deletion: %d, want 1", n)
		}
	})
}
