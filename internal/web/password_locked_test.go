package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestPasswordPageLockTold: the password page tells, on the wrong current
// password that locks the account out and after it, until when the
// account is locked, that until then it can neither log in nor change its
// password, and that this login goes on (where it said 登录失败次数过多，请
// 15 分钟后再试); the login page tells the wrong password that locks a
// username out, an account's or not, that it did. On both engines.
func TestPasswordPageLockTold(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		token := c.login("auditor")
		wantBody(t, "password page", c.get("/account/password"), "当前密码连续输错 5 次，账号将像登录失败一样锁定 15 分钟")
		change := func(current string) response {
			return c.post("/account/password", url.Values{"csrf_token": {token}, "current_password": {current},
				"password": {"Battery-Staple-7"}, "password_confirm": {"Battery-Staple-7"}})
		}
		for i := range org.MaxLoginFailures - 1 {
			wantBody(t, fmt.Sprint("wrong current password ", i+1), change("Wrong-Horse-9"), "当前密码不正确")
		}
		const after = "：在此之前无法登录，也不能修改密码；本次登录仍然有效"
		r := change("Wrong-Horse-9")
		wantStatus(t, "the wrong current password that locks", r, http.StatusBadRequest)
		wantBody(t, "the wrong current password that locks", r, "当前密码错误次数过多，账号已锁定至 10:15（北京时间）"+after)
		r = change(password)
		wantStatus(t, "while locked", r, http.StatusTooManyRequests)
		wantBody(t, "while locked", r, "密码错误次数过多，账号已锁定至 10:15（北京时间）"+after)
		wantStatus(t, "the session while locked", c.get("/"), http.StatusOK)

		for _, name := range []string{"reviewer", "no.such.account"} {
			c := f.client(t)
			for i := range org.MaxLoginFailures {
				r := c.post("/login", url.Values{"username": {name}, "password": {fmt.Sprintf("wrong-%d", i)}})
				wantStatus(t, name+" wrong password", r, http.StatusUnauthorized)
				if i < org.MaxLoginFailures-1 {
					wantNoBody(t, name+" wrong password", r, "尝试次数过多")
				} else {
					wantBody(t, name+" the wrong password that locks", r, "用户名或密码错误。尝试次数过多，账号已锁定 15 分钟")
				}
			}
		}
	})
}
