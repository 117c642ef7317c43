package web_test

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/url"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestLoginInvalidUsername: the login form with a username no account can
// have (NUL, 6,000 random characters) is answered as a wrong password is, 401
// 用户名或密码错误, the attempt audited and no login_failures row stored,
// on both engines.
func TestLoginInvalidUsername(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		random := make([]byte, 3000)
		rand.Read(random)
		for _, name := range []string{"oper\x00ator", hex.EncodeToString(random)} {
			before := len(f.denied(t))
			r := f.client(t).post("/login", url.Values{"username": {name}, "password": {password}})
			wantStatus(t, "login as "+name[:5], r, http.StatusUnauthorized)
			wantBody(t, "login as "+name[:5], r, "用户名或密码错误")
			if n := len(f.denied(t)); n != before+1 {
				t.Errorf("login as %.5q: %d denied auth.login rows, want %d", name, n, before+1)
			}
			var n int
			if err := db.Read().QueryRowContext(t.Context(), `SELECT count(*) FROM login_failures`).Scan(&n); err != nil || n != 0 {
				t.Errorf("login as %.5q: %d login_failures rows (%v), want none", name, n, err)
			}
		}
	})
}

// denied returns the denied auth.login rows.
func (f *fixture) denied(t *testing.T) []audit.Entry {
	t.Helper()
	rows, _, err := audit.List(t.Context(), f.db.Read(), audit.Filter{Action: "auth.login", Outcome: audit.Denied, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
