package api_test

import (
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestUserLockedUntil: the API's answers of an account locked out by
// wrong passwords (its reading, the list, its disabling) carry the
// lock-out's end as locked_until, RFC 3339; those of the accounts not
// locked leave it out. They had no such field. On both engines.
func TestUserLockedUntil(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		session := f.session(t, "mz.reviewer") // opened before the lock-out, which keeps it
		for range org.MaxLoginFailures {
			if _, _, err := org.Login(t.Context(), db, "mz.reviewer", "Wrong-Horse-9", org.Client{}, t0); err == nil {
				t.Fatal("logged in with a wrong password")
			}
		}
		want := t0.Add(org.LockDuration).Format(time.RFC3339)
		ids := map[string]string{}
		r := f.do(t, "GET", "/api/v1/users?limit=100", f.opKey, "")
		if r.status != 200 {
			t.Fatalf("list: %d %v", r.status, r.body)
		}
		for _, it := range r.body["items"].([]any) {
			u := it.(map[string]any)
			name := u["username"].(string)
			ids[name] = jsonNumber(u["id"])
			got, ok := u["locked_until"]
			switch {
			case name == "mz.reviewer" && got != want:
				t.Errorf("list: %s locked_until %v, want %s", name, got, want)
			case name != "mz.reviewer" && ok:
				t.Errorf("list: %s locked_until %v, want none", name, got)
			}
		}
		r = f.do(t, "GET", "/api/v1/me", "", "", session...)
		if me, _ := r.body["user"].(map[string]any); r.status != 200 || me["locked_until"] != want {
			t.Errorf("GET /api/v1/me of the locked account's session: %d %v, want locked_until %s", r.status, r.body, want)
		}
		for _, c := range []struct{ method, path string }{
			{"GET", "/api/v1/users/" + ids["mz.reviewer"]},
			{"POST", "/api/v1/users/" + ids["mz.reviewer"] + "/disable"},
			{"POST", "/api/v1/users/" + ids["mz.reviewer"] + "/enable"},
		} {
			r := f.do(t, c.method, c.path, f.opKey, "")
			if r.status != 200 || r.body["locked_until"] != want {
				t.Errorf("%s %s: %d %v, want locked_until %s", c.method, c.path, r.status, r.body, want)
			}
		}
		r = f.do(t, "GET", "/api/v1/users/"+ids["mz.admin"], f.opKey, "")
		if _, ok := r.body["locked_until"]; r.status != 200 || ok {
			t.Errorf("an account not locked: %d %v, want no locked_until", r.status, r.body)
		}
	})
}
