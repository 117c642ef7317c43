package web_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestAccountPagesLinkBack: an account's page links back to the list of
// accounts its viewer manages (the operator's on /org, an administrator's
// on /org/users), and the password form to the home page, as the other
// forms link back, where neither had a way back but the navigation.
func TestAccountPagesLinkBack(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		page := "/org/users/" + strconv.FormatInt(f.users["reviewer"].ID, 10)
		op := f.loggedIn(t, "operator")
		r := op.get(page)
		wantStatus(t, "operator", r, http.StatusOK)
		wantBody(t, "operator", r, `<p class="crumbs"><a href="/org#users" id="back-link">部门与账号</a> › 账号：reviewer</p>`)
		police := f.loggedIn(t, "police.admin")
		r = police.get(page)
		wantStatus(t, "administrator", r, http.StatusOK)
		wantBody(t, "administrator", r, `<p class="crumbs"><a href="/org/users" id="back-link">本部门账号</a> › 账号：reviewer</p>`)
		r = police.get("/account/password")
		wantStatus(t, "password", r, http.StatusOK)
		wantBody(t, "password", r, `<p class="crumbs"><a href="/" id="back-link">首页</a> › 修改密码</p>`)
	})
}
