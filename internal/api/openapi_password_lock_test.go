package api_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestOpenAPIWrongPasswordLockNoRetryAfter: the wrong current password
// that locks the username out (POST /api/v1/me/password, 400
// wrong_password) says until when in its detail but carries no
// Retry-After, unlike 429 login_locked; the document says so, where the
// 429's "The wrong_password that locks the username says the same" came
// right after its Retry-After. On both engines.
func TestOpenAPIWrongPasswordLockNoRetryAfter(t *testing.T) {
	doc := openAPIDoc(t)
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		session := f.do(t, "POST", "/api/v1/auth/login", "", `{"username":"mz.reviewer","password":"`+password+`"}`)
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
		var r response
		for range 5 {
			r = f.do(t, "POST", "/api/v1/me/password", "", `{"current_password":"wrong-password-1","password":"Another-Horse-7"}`,
				"Cookie", cookie, auth.CSRFHeader, csrf)
		}
		detail, _ := r.body["detail"].(string)
		if r.status != 400 || r.body["code"] != "wrong_password" || !strings.Contains(detail, "锁定至") || r.header.Get("Retry-After") != "" {
			t.Errorf("the wrong password that locks: %d %v Retry-After %q, want 400 wrong_password saying until when, no Retry-After",
				r.status, r.body, r.header.Get("Retry-After"))
		}
	})
	for _, status := range []int{400, 429} {
		desc, _ := documentedResponse(t, doc, "POST", "/api/v1/me/password", status)["description"].(string)
		if !strings.Contains(desc, "wrong_password that locks the username") || !strings.Contains(desc, "no Retry-After") {
			t.Errorf("POST /api/v1/me/password %d: does not say the wrong_password that locks carries no Retry-After: %q", status, desc)
		}
	}
}
