package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestPasswordChangeSentAgain: 修改密码 sent again once it has succeeded
// (the form resubmitted: the same current and new password) leads to the
// page saying 密码已修改, as the first did, where it was refused with
// 当前密码不正确 (and counted towards the lock-out, org.RepeatWindow). A
// wrong current password beside another new one is still refused. On
// both engines.
func TestPasswordChangeSentAgain(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		token := c.login("auditor")
		const next = "Battery-Staple-7"
		form := url.Values{"csrf_token": {token}, "current_password": {password}, "password": {next}, "password_confirm": {next}}
		for _, what := range []string{"change", "the change sent again"} {
			r := c.post("/account/password", form)
			if r.Status != http.StatusSeeOther || r.Location != "/account/password?msg=changed" {
				t.Fatalf("%s: %d to %q, want 303 to the page saying 密码已修改", what, r.Status, r.Location)
			}
		}
		wantBody(t, "after the change sent again", c.get("/account/password?msg=changed"), "密码已修改")
		r := c.post("/account/password", url.Values{"csrf_token": {token}, "current_password": {password},
			"password": {"Another-Pass-5"}, "password_confirm": {"Another-Pass-5"}})
		wantStatus(t, "a wrong current password", r, http.StatusBadRequest)
		wantBody(t, "a wrong current password", r, "当前密码不正确")
	})
}
