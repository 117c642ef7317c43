package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestSecurityLevelSavedUnchanged: the operator's form of a level saved
// as the level is stored (sent twice) moved its updated_at and wrote an
// audit row. It now writes nothing and the page says 未作修改, as an
// entry's form does; a form that changes the level says 已保存. On both
// engines.
func TestSecurityLevelSavedUnchanged(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		op := f.client(t)
		tok := op.login("operator")
		form := url.Values{"csrf_token": {tok}, "level": {"3"}, "name": {"较敏感"}, "description": {"涉及个人隐私的数据"}}
		if r := op.post("/catalog/security-levels", form); r.Status != http.StatusSeeOther || r.Location != "/catalog/security-levels?saved=3#level-3" {
			t.Fatalf("save: %d to %q\n%s", r.Status, r.Location, r.Body)
		}
		var updated string
		if err := db.Read().QueryRowContext(t.Context(), `SELECT CAST(updated_at AS TEXT) FROM catalog_security_levels WHERE level = 3`).Scan(&updated); err != nil {
			t.Fatal(err)
		}
		r := op.post("/catalog/security-levels", form)
		if r.Status != http.StatusSeeOther || r.Location != "/catalog/security-levels?unchanged=3#level-3" {
			t.Fatalf("the same form again: %d to %q, want /catalog/security-levels?unchanged=3#level-3\n%s", r.Status, r.Location, r.Body)
		}
		r = op.get("/catalog/security-levels?unchanged=3")
		wantBody(t, "unchanged", r, `id="unchanged"`, "3级的定义未作修改：所填内容与原来相同，没有保存。")
		wantNoBody(t, "unchanged", r, `id="saved"`)
		if n := count(t, db, `SELECT count(*) FROM catalog_security_levels WHERE level = 3 AND CAST(updated_at AS TEXT) = $1`, updated); n != 1 {
			t.Errorf("level 3's updated_at moved with the form saved unchanged")
		}
		if n := count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'catalog.security_level.update' AND object_id = '3'`); n != 1 {
			t.Errorf("audited level changes: %d, want 1", n)
		}
	})
}

// TestSecurityLevelSavedUnchangedLineBreaks: a level whose description is
// stored with LF (as a PUT sends it), its form saved as shown, the browser
// posting the textarea's line breaks as CR LF, redirected to ?saved=3,
// moved updated_at and audited a change. It now says 未作修改 and writes
// nothing. On both engines.
func TestSecurityLevelSavedUnchangedLineBreaks(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		op := f.client(t)
		tok := op.login("operator")
		form := url.Values{"csrf_token": {tok}, "level": {"3"}, "name": {"较敏感"}, "description": {"第一行\n第二行"}}
		if r := op.post("/catalog/security-levels", form); r.Status != http.StatusSeeOther || r.Location != "/catalog/security-levels?saved=3#level-3" {
			t.Fatalf("save: %d to %q\n%s", r.Status, r.Location, r.Body)
		}
		var updated string
		if err := db.Read().QueryRowContext(t.Context(), `SELECT CAST(updated_at AS TEXT) FROM catalog_security_levels WHERE level = 3`).Scan(&updated); err != nil {
			t.Fatal(err)
		}
		form.Set("description", "第一行\r\n第二行")
		if r := op.post("/catalog/security-levels", form); r.Status != http.StatusSeeOther || r.Location != "/catalog/security-levels?unchanged=3#level-3" {
			t.Fatalf("the form as a browser posts it: %d to %q, want /catalog/security-levels?unchanged=3#level-3\n%s", r.Status, r.Location, r.Body)
		}
		if n := count(t, db, `SELECT count(*) FROM catalog_security_levels WHERE level = 3 AND CAST(updated_at AS TEXT) = $1 AND description = $2`,
			updated, "第一行\n第二行"); n != 1 {
			t.Errorf("level 3's updated_at moved or its description changed with the form saved unchanged")
		}
		if n := count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'catalog.security_level.update' AND object_id = '3'`); n != 1 {
			t.Errorf("audited level changes: %d, want 1", n)
		}
	})
}
