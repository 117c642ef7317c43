package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestLockedAccountShown: an account locked out by wrong passwords shows
// as 已锁定至 the lock-out's end (Beijing time, to the minute it is over
// by) on its page, in the department's list and in the operator's
// accounts of /org, until the lock-out ends; it showed as 正常. On both
// engines.
func TestLockedAccountShown(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		page := "/org/users/" + strconv.FormatInt(f.users["locked"].ID, 10)
		f.clock.Add(30 * time.Second) // locked until 10:15:30, over by 10:16
		c := f.client(t)
		for i := range org.MaxLoginFailures {
			c.post("/login", url.Values{"username": {"locked"}, "password": {fmt.Sprintf("wrong-%d", i)}})
		}
		wantStatus(t, "locked", c.post("/login", url.Values{"username": {"locked"}, "password": {password}}),
			http.StatusTooManyRequests)

		admin := f.loggedIn(t, "police.admin")
		r := admin.get(page)
		wantStatus(t, "account page", r, http.StatusOK)
		wantBody(t, "account page", r, `<dd id="account-status"><span class="tag tag-warn">已锁定至 10:16</span></dd>`)
		r = admin.get("/org/users")
		wantStatus(t, "list", r, http.StatusOK)
		wantBody(t, "list", r, `<td><span class="tag tag-warn">已锁定至 10:16</span></td>`)
		wantBody(t, "list of the others", r, `<span class="tag tag-ok">正常</span>`)
		operator := f.loggedIn(t, "operator")
		r = operator.get("/org?user_q=locked")
		wantStatus(t, "operator's list", r, http.StatusOK)
		wantBody(t, "operator's list", r, `<td><span class="tag tag-warn">已锁定至 10:16</span></td>`)

		f.clock.Add(org.LockDuration)
		wantBody(t, "account page after the lock-out", admin.get(page), `<dd id="account-status"><span class="tag tag-ok">正常</span></dd>`)
		wantNoBody(t, "list after the lock-out", admin.get("/org/users"), "已锁定")
		wantNoBody(t, "operator's list after the lock-out", operator.get("/org?user_q=locked"), "已锁定")
	})
}
