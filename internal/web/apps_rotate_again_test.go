package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRotateSentAgainKeepsTheKey: the rotation form carries the tag of the
// app's newest key (edit_tag); the same form sent again once it has
// rotated (the result page refreshed or resubmitted, a second tab of the
// list opened before) is refused 409 on the list, saying the key was
// rotated already and the key then shown is valid: no key issued, the key
// the first rotation showed neither revoked nor given an expiry, and it
// still authenticates; one rotation audited. The list then carries the
// new key's tag, whose form rotates.
func TestRotateSentAgainKeepsTheKey(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		app := newPoliceApp(t, f, db, "户籍核验系统")
		c := f.client(t)
		token := c.login("police.admin")
		tagRE := regexp.MustCompile(fmt.Sprintf(`action="/apps/%d/rotate"[^>]*>(?:\s*<input[^>]*>)*?\s*<input type="hidden" name="edit_tag" value="([0-9a-f]*)">`, app.ID))
		formTag := func(what string, r response) string {
			t.Helper()
			m := tagRE.FindStringSubmatch(r.Body)
			if m == nil {
				t.Fatalf("%s: no edit_tag in the rotation form of app %d", what, app.ID)
			}
			return m[1]
		}
		rotate := fmt.Sprintf("/apps/%d/rotate", app.ID)

		tag := formTag("apps page", c.get("/apps"))
		if tag != app.Keys[0].ID {
			t.Fatalf("rotation form's tag %q, want the key's id %q", tag, app.Keys[0].ID)
		}
		form := url.Values{"csrf_token": {token}, "grace_hours": {"0"}, "confirm": {"yes"}, "edit_tag": {tag}}
		r := c.post(rotate, form)
		wantStatus(t, "rotate", r, http.StatusCreated)
		wantBody(t, "rotate", r, "刷新或重新提交本页不会再签发新密钥")
		k1 := keyRE.FindString(r.Body)
		if k1 == "" {
			t.Fatal("rotate: no key shown")
		}

		// The page refreshed (the same form), then a second tab's form
		// with a grace: both refused, nothing changed.
		again := url.Values{"csrf_token": {token}, "grace_hours": {"24"}, "edit_tag": {tag}}
		for what, form := range map[string]url.Values{"refreshed": form, "second tab": again} {
			r = c.post(rotate, form)
			wantStatus(t, what, r, http.StatusConflict)
			wantBody(t, what, r, "密钥已经轮换过：最新密钥 htk_"+k1[4:16]+"_… 签发于 2026-10-01 10:00:00（北京时间），晚于本次提交所依据的密钥",
				"本次未签发新密钥，也未吊销任何密钥；该密钥仍然有效，请使用当时显示的密钥，无需再次轮换",
				fmt.Sprintf(`id="app-%d-rotate-stale"`, app.ID))
			wantNoBody(t, what, r, k1)
			if got := formTag(what, r); got != k1[4:16] {
				t.Errorf("%s: the list's rotation form carries %q, want the new key's id %q", what, got, k1[4:16])
			}
		}
		after, err := org.AppByID(ctx, db.Read(), app.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(after.Keys) != 2 || after.Keys[1].ID != k1[4:16] || after.Keys[1].RevokedAt != nil || after.Keys[1].ExpiresAt != nil {
			t.Errorf("keys after the rotation sent again: %+v, want the old one and %s, valid without expiry", after.Keys, k1[4:16])
		}
		var keys org.KeyCache
		if _, k, _, err := keys.Authenticate(ctx, db.Read(), k1, f.clock.Now()); err != nil || k.ID != k1[4:16] {
			t.Errorf("the key first shown: %+v, %v; want it authenticated", k, err)
		}
		if n := count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'app.key.rotate' AND object_id = $1`, fmt.Sprint(app.ID)); n != 1 {
			t.Errorf("app.key.rotate rows: %d, want 1", n)
		}
		if n := count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'app.key.issue' AND object_id = $1`, fmt.Sprint(app.ID)); n != 2 {
			t.Errorf("app.key.issue rows: %d, want 2 (creation, rotation)", n)
		}

		// The list as now shown rotates.
		form.Set("edit_tag", formTag("apps page after", c.get("/apps")))
		r = c.post(rotate, form)
		wantStatus(t, "rotate from the list as now shown", r, http.StatusCreated)
	})
}
