package api_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestLoginInvalidUsername: POST /api/v1/auth/login with a username no
// account can have (NUL, 6,000 random characters) answers as a wrong password
// does, 401 invalid_credentials with its message, audits the attempt and
// stores no login_failures row, on both engines.
func TestLoginInvalidUsername(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		wrong := f.do(t, "POST", "/api/v1/auth/login", "", `{"username":"mz.admin","password":"nope"}`)
		if wrong.status != 401 || wrong.body["code"] != "invalid_credentials" {
			t.Fatalf("wrong password: %d %v", wrong.status, wrong.body)
		}
		if _, err := db.Write().ExecContext(context.Background(), `DELETE FROM login_failures`); err != nil {
			t.Fatal(err)
		}
		random := make([]byte, 3000)
		rand.Read(random)
		for _, name := range []string{`mz.ad\u0000min`, hex.EncodeToString(random)} {
			before := denied(t, db)
			r := f.do(t, "POST", "/api/v1/auth/login", "", `{"username":"`+name+`","password":"`+password+`"}`)
			if r.status != 401 || r.body["code"] != wrong.body["code"] || r.body["detail"] != wrong.body["detail"] {
				t.Errorf("username %.20s: %d %v, want 401 as a wrong password: %v", name, r.status, r.body, wrong.body)
			}
			if n := denied(t, db); n != before+1 {
				t.Errorf("username %.20s: %d denied auth.login rows, want %d", name, n, before+1)
			}
			if n := f.count(t, "login_failures"); n != 0 {
				t.Errorf("username %.20s: %d login_failures rows, want none", name, n)
			}
		}
	})
}

// denied counts the denied auth.login rows.
func denied(t *testing.T, db *sqldb.DB) int {
	t.Helper()
	rows, _, err := audit.List(context.Background(), db.Read(), audit.Filter{Action: "auth.login", Outcome: audit.Denied, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return len(rows)
}
