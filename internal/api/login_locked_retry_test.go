package api_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/testclock"
)

// TestLoginLockedRetryAfter: a login refused for a locked username (429
// login_locked) says in Retry-After how many seconds the lock has left,
// as too_many_failures does, rounded up and counted down on the clock;
// so does a password change a session still open asks for meanwhile.
func TestLoginLockedRetryAfter(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		clock := testclock.New(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
		f.onClock(t, clock)
		login := func(pw string) response {
			return f.do(t, "POST", "/api/v1/auth/login", "", `{"username":"mz.reviewer","password":"`+pw+`"}`)
		}
		session := login(password)
		if session.status != 200 {
			t.Fatalf("login: got %d %v", session.status, session.body)
		}
		var cookie string
		for _, c := range session.header.Values("Set-Cookie") {
			if name, _, _ := strings.Cut(c, ";"); strings.HasPrefix(name, auth.SessionCookie+"=") {
				cookie = name
			}
		}
		csrf, _ := session.body["csrf_token"].(string)
		for range 5 {
			login("wrong-password-1")
		}
		for _, tt := range []struct {
			wait time.Duration
			want string
		}{{0, "900"}, {10*time.Minute + 500*time.Millisecond, "300"}} {
			clock.Add(tt.wait)
			r := login(password)
			if r.status != 429 || r.body["code"] != "login_locked" || r.header.Get("Retry-After") != tt.want {
				t.Errorf("login %v later: got %d %v Retry-After %q, want 429 login_locked Retry-After %s",
					tt.wait, r.status, r.body["code"], r.header.Get("Retry-After"), tt.want)
			}
			r = f.do(t, "POST", "/api/v1/me/password", "", `{"current_password":"`+password+`","password":"Another-Horse-7"}`,
				"Cookie", cookie, auth.CSRFHeader, csrf)
			if r.status != 429 || r.body["code"] != "login_locked" || r.header.Get("Retry-After") != tt.want {
				t.Errorf("password change %v later: got %d %v Retry-After %q, want 429 login_locked Retry-After %s",
					tt.wait, r.status, r.body["code"], r.header.Get("Retry-After"), tt.want)
			}
		}
	})
}
