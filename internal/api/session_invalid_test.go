package api_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestEndedSessionInvalid: a request that sends the cookie of a session
// that has ended is told so, 401 session_invalid (登录已失效，请重新登录),
// as docs/api-errors.md says, where it was told it had sent no
// credentials (unauthenticated); one without a cookie still is. On both
// engines.
func TestEndedSessionInvalid(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		s := f.session(t, "mz.reviewer")
		if r := f.do(t, "GET", "/api/v1/me", "", "", s...); r.status != 200 {
			t.Fatalf("me: got %d %v", r.status, r.body)
		}
		if r := f.do(t, "POST", "/api/v1/auth/logout", "", "", s...); r.status != 204 {
			t.Fatalf("logout: got %d %v", r.status, r.body)
		}
		for _, tc := range []struct {
			what string
			hdr  []string
			code string
		}{
			{"the logged-out session's cookie", s, "session_invalid"},
			{"an unknown cookie", []string{"Cookie", auth.SessionCookie + "=unknown"}, "session_invalid"},
			{"no cookie", nil, "unauthenticated"},
		} {
			r := f.do(t, "GET", "/api/v1/me", "", "", tc.hdr...)
			if r.status != 401 || r.body["code"] != tc.code {
				t.Errorf("me with %s: got %d %v, want 401 %s", tc.what, r.status, r.body, tc.code)
			}
			if tc.code == "session_invalid" && r.body["detail"] != "登录已失效，请重新登录" {
				t.Errorf("me with %s: detail %v, want 登录已失效，请重新登录", tc.what, r.body["detail"])
			}
		}
	})
}
