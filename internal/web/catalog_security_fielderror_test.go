package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestSecurityLevelFieldErrorKeepsTag: a save of a level from a page
// older than another operator's save, refused for a field error (a blank
// description, 400), was shown again with the level's current tag, so
// that the field fixed and saved again overwrote the other's save, never
// shown. The refused form now keeps the tag it was sent with: saved
// again it is refused 409 concurrent_update, showing the other's save,
// and nothing is overwritten. On both engines.
func TestSecurityLevelFieldErrorKeepsTag(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		a, b := f.client(t), f.client(t)
		tokA, tokB := a.login("operator"), b.login("operator")
		opened := level3Tag(t, "opened", b.get("/catalog/security-levels").Body)
		first := url.Values{"csrf_token": {tokA}, "edit_tag": {opened}, "level": {"3"}, "name": {"较敏感（甲）"}, "description": {"甲填写的说明"}}
		wantStatus(t, "A saves", a.post("/catalog/security-levels", first), http.StatusSeeOther)
		second := url.Values{"csrf_token": {tokB}, "edit_tag": {opened}, "level": {"3"}, "name": {"较敏感（乙）"}, "description": {""}}
		r := b.post("/catalog/security-levels", second)
		wantStatus(t, "B's blank description from the old page", r, http.StatusBadRequest)
		wantBody(t, "B's blank description from the old page", r, `id="level-error"`, `value="较敏感（乙）"`)
		if got := level3Tag(t, "refused for its field", r.Body); got != opened {
			t.Fatalf("the form refused for its field carries tag %s, want the one it was sent with, %s", got, opened)
		}
		second.Set("edit_tag", level3Tag(t, "refused for its field", r.Body))
		second.Set("description", "乙填写的说明")
		r = b.post("/catalog/security-levels", second)
		wantStatus(t, "B's field fixed, sent again", r, http.StatusConflict)
		wantBody(t, "B's field fixed, sent again", r, "本次未保存", `名称“较敏感（甲）”，说明“甲填写的说明”`)
		if n := count(t, db, `SELECT count(*) FROM catalog_security_levels WHERE level = 3 AND name = '较敏感（甲）'`); n != 1 {
			t.Error("A's save overwritten unseen through a field error")
		}
	})
}
