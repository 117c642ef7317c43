package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestSecurityLevelStaleForm: two operators opened the security levels
// page and the second's save of a level overwrote the first's without a
// word. Each level's form now carries the tag of the definition it shows
// (edit_tag): a save from a page older than another's save of that level
// is refused 409, nothing written, the form showing what was typed with
// the definition as now stored and its tag, so that saving again replaces
// it knowingly; the first form sent again (Back) is answered as saved; a
// form without edit_tag is saved as before. On both engines.
func TestSecurityLevelStaleForm(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		a, b := f.client(t), f.client(t)
		tokA, tokB := a.login("operator"), b.login("operator")
		opened := level3Tag(t, "opened", a.get("/catalog/security-levels").Body)
		if level3Tag(t, "opened by the other", b.get("/catalog/security-levels").Body) != opened {
			t.Fatal("two pages of the same level with different tags")
		}
		first := url.Values{"csrf_token": {tokA}, "edit_tag": {opened}, "level": {"3"}, "name": {"较敏感（甲）"}, "description": {"甲填写的说明"}}
		wantStatus(t, "the first save", a.post("/catalog/security-levels", first), http.StatusSeeOther)
		wantStatus(t, "the first save sent again", a.post("/catalog/security-levels", first), http.StatusSeeOther)
		second := url.Values{"csrf_token": {tokB}, "edit_tag": {opened}, "level": {"3"}, "name": {"较敏感（乙）"}, "description": {"乙填写的说明"}}
		r := b.post("/catalog/security-levels", second)
		wantStatus(t, "the second save from the old page", r, http.StatusConflict)
		wantBody(t, "the second save from the old page", r, `id="level-error"`, "本次未保存", `名称“较敏感（甲）”，说明“甲填写的说明”`,
			`value="较敏感（乙）"`, "乙填写的说明</textarea>")
		if n := count(t, db, `SELECT count(*) FROM catalog_security_levels WHERE level = 3 AND name = '较敏感（甲）'`); n != 1 {
			t.Fatal("the refused save changed level 3")
		}
		if n := count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'catalog.security_level.update' AND object_id = '3'`); n != 1 {
			t.Errorf("audited level 3 changes: %d, want 1", n)
		}
		second.Set("edit_tag", level3Tag(t, "refused", r.Body))
		wantStatus(t, "the second save again, having seen the first", b.post("/catalog/security-levels", second), http.StatusSeeOther)
		if n := count(t, db, `SELECT count(*) FROM catalog_security_levels WHERE level = 3 AND name = '较敏感（乙）'`); n != 1 {
			t.Error("the second save, sent again from the refusal, not saved")
		}
		second.Del("edit_tag")
		second.Set("name", "较敏感")
		wantStatus(t, "a form without edit_tag", b.post("/catalog/security-levels", second), http.StatusSeeOther)
	})
}

// level3TagRE finds the edit_tag of level 3's form on the security levels page.
var level3TagRE = regexp.MustCompile(`name="level" value="3">\s*<input type="hidden" name="edit_tag" value="([0-9a-f]+)">`)

// level3Tag is the edit_tag of level 3's form in body, the page what names.
func level3Tag(t *testing.T, what, body string) string {
	t.Helper()
	m := level3TagRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("%s: no edit_tag in level 3's form:\n%s", what, body)
	}
	return m[1]
}
