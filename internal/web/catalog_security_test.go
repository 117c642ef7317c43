package web_test

import (
	"html"
	"net/http"
	"net/url"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestSecurityLevels: the operator views and edits the security levels'
// names and descriptions, with the checks and the audit of the API's PUT,
// every problem of a form told at once; other staff view them; the entry
// form shows each level's description on its option.
func TestSecurityLevels(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		op := f.client(t)
		tok := op.login("operator")
		wantBody(t, "catalog list", op.get("/catalog"), `href="/catalog/security-levels"`)
		r := op.get("/catalog/security-levels")
		wantStatus(t, "levels page", r, http.StatusOK)
		wantBody(t, "levels page", r, `action="/catalog/security-levels"`, `id="level-1-name"`, `id="level-4-description"`)

		const desc = "涉及个人隐私的数据，泄露后对个人权益造成较大影响"
		r = op.post("/catalog/security-levels", url.Values{"csrf_token": {tok}, "level": {"3"}, "name": {"较敏感"}, "description": {desc}})
		if r.Status != http.StatusSeeOther || r.Location != "/catalog/security-levels?saved=3#level-3" {
			t.Fatalf("save: %d to %q\n%s", r.Status, r.Location, r.Body)
		}
		wantBody(t, "saved", op.get("/catalog/security-levels?saved=3"), `id="saved"`, `value="较敏感"`, desc)
		if n := count(t, db, `SELECT count(*) FROM catalog_security_levels WHERE level = 3 AND name = $1 AND description = $2`,
			"较敏感", desc); n != 1 {
			t.Errorf("level 3 not saved")
		}
		if n := count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'catalog.security_level.update' AND object_id = '3'`); n != 1 {
			t.Errorf("audited level changes: %d, want 1", n)
		}
		r = op.get("/catalog/new")
		wantBody(t, "entry form", r, `<option value="3" title="`+html.EscapeString(desc)+`">3级 较敏感</option>`)

		// A level without a description is shown again with the reason, as typed.
		r = op.post("/catalog/security-levels", url.Values{"csrf_token": {tok}, "level": {"2"}, "name": {"内部"}, "description": {"  "}})
		wantStatus(t, "no description", r, http.StatusBadRequest)
		wantBody(t, "no description", r, `id="level-error"`, "安全级别说明不能为空", `value="内部"`)
		if n := count(t, db, `SELECT count(*) FROM catalog_security_levels WHERE level = 2 AND name = '内部'`); n != 0 {
			t.Errorf("a refused level was saved")
		}
		// Every problem at once: no name and no description.
		r = op.post("/catalog/security-levels", url.Values{"csrf_token": {tok}, "level": {"2"}, "name": {" "}, "description": {""}})
		wantStatus(t, "no name, no description", r, http.StatusBadRequest)
		wantBody(t, "no name, no description", r, `id="level-error"`, "安全级别名称不能为空", "安全级别说明不能为空",
			`id="level-2-name" name="name" type="text" maxlength="200" value=" " required aria-invalid="true"`,
			`id="level-2-description" name="description" rows="3" maxlength="4000" required aria-invalid="true"`)
		wantStatus(t, "level 5", op.post("/catalog/security-levels", url.Values{"csrf_token": {tok}, "level": {"5"}, "name": {"x"},
			"description": {"x"}}), http.StatusBadRequest)

		// Staff who read the levels through the API (catalog.read) read the
		// page, without its forms; only the operator edits.
		for _, who := range []string{"police.admin", "reviewer"} {
			c := f.client(t)
			ctok := c.login(who)
			wantBody(t, who+"'s catalog list", c.get("/catalog"), `href="/catalog/security-levels"`)
			r := c.get("/catalog/security-levels")
			wantStatus(t, who+"'s levels page", r, http.StatusOK)
			wantBody(t, who+"'s levels page", r, `id="level-3"`, "较敏感", desc)
			wantNoBody(t, who+"'s levels page", r, `action="/catalog/security-levels"`, `id="level-1-name"`, `id="save-level-1"`)
			wantStatus(t, who+" saves", c.post("/catalog/security-levels", url.Values{"csrf_token": {ctok}, "level": {"1"}, "name": {"x"},
				"description": {"x"}}), http.StatusForbidden)
		}
	})
}
