package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRotateWithoutGraceAsksConfirmation: a rotation with a grace of 0,
// which revokes the old key at once, asks 确认轮换 as revoking a key asks
// 确认吊销: unconfirmed it is refused beside the checkbox, the grace typed
// kept, and no key issued or revoked; a rotation with a grace needs none.
func TestRotateWithoutGraceAsksConfirmation(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		app := newPoliceApp(t, f, db, "户籍核验系统")
		c := f.client(t)
		token := c.login("police.admin")
		page := c.get("/apps")
		wantBody(t, "apps page", page, `<input type="checkbox" name="confirm" value="yes"> 确认轮换`)

		r := c.post(fmt.Sprintf("/apps/%d/rotate", app.ID), url.Values{"csrf_token": {token}, "grace_hours": {"0"}})
		wantStatus(t, "rotate without grace, unconfirmed", r, http.StatusBadRequest)
		wantBody(t, "rotate without grace, unconfirmed", r,
			fmt.Sprintf(`<input type="checkbox" name="confirm" value="yes" aria-invalid="true" aria-describedby="app-%d-rotate-error"> 确认轮换`, app.ID),
			fmt.Sprintf(`<span class="field-error" id="app-%d-rotate-error">宽限期为 0 时旧密钥立即吊销，请勾选“确认轮换”后再提交</span>`, app.ID),
			`<input type="number" name="grace_hours" value="0"`)
		after, err := org.AppByID(context.Background(), db.Read(), app.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(after.Keys) != 1 || after.Keys[0].RevokedAt != nil || after.Keys[0].ExpiresAt != nil {
			t.Errorf("keys after an unconfirmed rotation: %+v, want the one key, valid", after.Keys)
		}

		r = c.post(fmt.Sprintf("/apps/%d/rotate", app.ID), url.Values{"csrf_token": {token}, "grace_hours": {"0"}, "confirm": {"yes"}})
		wantStatus(t, "rotate without grace, confirmed", r, http.StatusCreated)
		wantBody(t, "rotate without grace, confirmed", r, "已立即吊销")
		r = c.post(fmt.Sprintf("/apps/%d/rotate", app.ID), url.Values{"csrf_token": {token}, "grace_hours": {"24"}})
		wantStatus(t, "rotate with grace", r, http.StatusCreated)
	})
}
