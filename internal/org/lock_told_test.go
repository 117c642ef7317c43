package org_test

import (
	"context"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestLockingAttemptTold: the wrong password that locks a username out
// says so, where it said only 用户名或密码错误 at login and 当前密码不正确
// on the password page, whose user was then told to retry in 15 minutes
// while its session stayed open. At login the username that is no
// account's is told the same, attempt by attempt, as an account's. On
// the password page the lock-out's end is told (Beijing time), and that
// until then the account can neither log in nor change its password
// while this session goes on; a lock-out that has ended is not. On both
// engines.
func TestLockingAttemptTold(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		_, users := seed(t, db)
		told := func(err error) string {
			if e := errs.As(err); e != nil {
				return e.Code + " " + e.Message
			}
			return "nil"
		}
		var seen []string
		for _, name := range []string{"u.reviewer", "no.such.account"} {
			var got []string
			for range org.MaxLoginFailures + 1 {
				_, _, err := org.Login(ctx, db, name, "Wrong-Horse-9", org.Client{}, t0)
				got = append(got, told(err))
			}
			want := "invalid_credentials 用户名或密码错误"
			for i, g := range got[:org.MaxLoginFailures-1] {
				if g != want {
					t.Errorf("%s, wrong password %d: %s, want %s", name, i+1, g, want)
				}
			}
			if want := "invalid_credentials 用户名或密码错误。尝试次数过多，账号已锁定 15 分钟"; got[org.MaxLoginFailures-1] != want {
				t.Errorf("%s, the wrong password that locks: %s, want %s", name, got[org.MaxLoginFailures-1], want)
			}
			if seen != nil {
				for i := range got {
					if got[i] != seen[i] {
						t.Errorf("attempt %d: %s told %q, an account %q", i+1, name, got[i], seen[i])
					}
				}
			}
			seen = got
		}

		u := users[org.Auditor]
		s := login(t, db, u.Username, password, t0)
		change := func(current string, at time.Time) string {
			return told(org.ChangePassword(ctx, db, u, s.Token, current, "Battery-Staple-7", "", at))
		}
		// A lock-out that has ended is not told.
		for range org.MaxLoginFailures {
			change("Wrong-Horse-9", t0)
		}
		at := t0.Add(time.Hour + 30*time.Second) // 18:00:30 in Beijing
		if got, want := change("Wrong-Horse-9", at), "wrong_password 当前密码不正确"; got != want {
			t.Errorf("after a lock-out ended: %s, want %s", got, want)
		}
		for range org.MaxLoginFailures - 2 {
			change("Wrong-Horse-9", at)
		}
		const after = "：在此之前无法登录，也不能修改密码；本次登录仍然有效"
		if got, want := change("Wrong-Horse-9", at), "wrong_password 当前密码错误次数过多，账号已锁定至 18:16（北京时间）"+after; got != want {
			t.Errorf("the wrong current password that locks: %s, want %s", got, want)
		}
		if got, want := change(password, at.Add(time.Minute)), "login_locked 密码错误次数过多，账号已锁定至 18:16（北京时间）"+after; got != want {
			t.Errorf("while locked: %s, want %s", got, want)
		}
		if _, _, err := org.SessionUser(ctx, db.Read(), s.Token, at.Add(time.Minute)); err != nil {
			t.Errorf("the session, while locked: %v", err)
		}
	})
}
