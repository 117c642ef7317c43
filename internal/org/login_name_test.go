package org_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/text"
)

// TestLoginInvalidUsername: a username no account can have (NUL, 6,000
// random characters, too short, other characters) is refused as a wrong
// password is, with the same code and message, audited as a denied
// auth.login with the name cut short and storable, and leaves no
// login_failures row, on both engines.
func TestLoginInvalidUsername(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		seed(t, db)
		c := org.Client{RemoteAddr: "10.1.2.3"}
		_, _, wrong := org.Login(ctx, db, "u.reviewer", "wrong", c, t0)
		want := errs.As(wrong)
		if want == nil || want.Code != "invalid_credentials" {
			t.Fatalf("wrong password: %v", wrong)
		}
		if _, err := db.Write().ExecContext(ctx, `DELETE FROM login_failures`); err != nil {
			t.Fatal(err)
		}
		random := make([]byte, 3000)
		rand.Read(random)
		for _, name := range []string{"u.review\x00er", hex.EncodeToString(random), strings.Repeat("a", 65), "ab",
			"名字", "u.reviewer\xff", "u reviewer"} {
			before := audited(t, db, "auth.login", audit.Denied)
			_, _, err := org.Login(ctx, db, name, password, c, t0)
			if e := errs.As(err); e == nil || e.Code != want.Code || e.Message != want.Message || e.Kind != want.Kind {
				t.Errorf("username %.20q: %v, want %v", name, err, want)
			}
			if n := audited(t, db, "auth.login", audit.Denied); n != before+1 {
				t.Errorf("username %.20q: %d denied auth.login rows, want %d", name, n, before+1)
			}
			rows, _, err := audit.List(ctx, db.Read(), audit.Filter{Action: "auth.login", Limit: 1})
			if err != nil || len(rows) != 1 {
				t.Fatalf("audit rows: %v %v", rows, err)
			}
			if a := rows[0].Actor; utf8.RuneCountInString(a.Name) > 65 || !text.Plain(a.Name, false) || a.ID != a.Name {
				t.Errorf("username %.20q audited as %.80q (id %.80q), want at most 64 characters and a mark, plain", name, a.Name, a.ID)
			}
			var n int
			if err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM login_failures`).Scan(&n); err != nil || n != 0 {
				t.Errorf("username %.20q: %d login_failures rows (%v), want none", name, n, err)
			}
		}
		if rep, err := audit.Verify(ctx, db.Read()); err != nil || rep.Problem != nil {
			t.Errorf("audit chain: %v %v", err, rep.Problem)
		}
	})
}
