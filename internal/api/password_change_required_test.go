package api_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestPasswordChangeRequired: an account created with a password its
// administrator chose logs in, but its session may only read its own
// account, change the password and log out until it has changed it; then
// it works. An administrator's reset forces the change again. API keys are
// not concerned.
func TestPasswordChangeRequired(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		r := f.do(t, "POST", "/api/v1/users", f.opKey, `{"username":"mz.new","display_name":"新人","department_id":`+
			itoa(f.deptID)+`,"role":"reviewer","password":"`+password+`"}`)
		if r.status != 201 || r.body["password_change_required"] != true {
			t.Fatalf("create: %d %v, want 201 with password_change_required true", r.status, r.body)
		}
		id := jsonNumber(r.body["id"])
		if r := f.do(t, "GET", "/api/v1/users/"+id, f.opKey, ""); r.body["password_change_required"] != true {
			t.Fatalf("read back: %v", r.body)
		}
		login := f.do(t, "POST", "/api/v1/auth/login", "", `{"username":"mz.new","password":"`+password+`"}`)
		if login.status != 200 || login.body["user"].(map[string]any)["password_change_required"] != true {
			t.Fatalf("login: %d %v", login.status, login.body)
		}
		s := f.session(t, "mz.new")
		refused := func(when string) {
			t.Helper()
			for _, c := range []struct{ method, path, body string }{
				{"GET", "/api/v1/departments", ""}, {"GET", "/api/v1/catalog/entries", ""},
				{"POST", "/api/v1/regions", `{"code":"440606","name":"顺德区","level":"district","parent_code":"440000"}`},
			} {
				r := f.do(t, c.method, c.path, "", c.body, s...)
				if r.status != 403 || r.body["code"] != "password_change_required" || r.body["detail"] == "" {
					t.Fatalf("%s: %s %s: %d %v, want 403 password_change_required", when, c.method, c.path, r.status, r.body)
				}
			}
		}
		refused("before the change")
		if r := f.do(t, "GET", "/api/v1/me", "", "", s...); r.status != 200 ||
			r.body["user"].(map[string]any)["password_change_required"] != true {
			t.Fatalf("/me: %d %v", r.status, r.body)
		}
		if r := f.do(t, "GET", "/api/v1/departments", f.readKey, ""); r.status != 200 {
			t.Fatalf("API key: %d %v", r.status, r.body)
		}
		const own = "Own-Choice-2026"
		if r := f.do(t, "POST", "/api/v1/me/password", "", `{"current_password":"`+password+`","password":"`+own+`"}`, s...); r.status/100 != 2 {
			t.Fatalf("change: %d %v", r.status, r.body)
		}
		if r := f.do(t, "GET", "/api/v1/departments", "", "", s...); r.status != 200 {
			t.Fatalf("after the change: %d %v", r.status, r.body)
		}
		if r := f.do(t, "GET", "/api/v1/me", "", "", s...); r.body["user"].(map[string]any)["password_change_required"] != false {
			t.Fatalf("/me after the change: %v", r.body)
		}
		if r := f.do(t, "POST", "/api/v1/users/"+id+"/password", f.opKey, `{"password":"`+password+`"}`); r.status/100 != 2 {
			t.Fatalf("reset: %d %v", r.status, r.body)
		}
		s = f.session(t, "mz.new")
		refused("after a reset")
		if r := f.do(t, "POST", "/api/v1/auth/logout", "", "", s...); r.status != 204 {
			t.Fatalf("logout: %d %v", r.status, r.body)
		}
		// The fixture's accounts are set up ready to use.
		if r := f.do(t, "GET", "/api/v1/departments", "", "", f.session(t, "mz.admin")...); r.status != 200 {
			t.Fatalf("an account not forced: %d %v", r.status, r.body)
		}
	})
}

// account creates through the API, as the operator, the account username
// of department dept with role and the fixture's password, failing the
// test unless it is created, and makes it settled.
func (f *fixture) account(t *testing.T, username string, dept int64, role string) {
	t.Helper()
	r := f.do(t, "POST", "/api/v1/users", f.opKey, `{"username":"`+username+`","display_name":"某","department_id":`+itoa(dept)+
		`,"role":"`+role+`","password":"`+password+`"}`)
	if r.status != 201 {
		t.Fatalf("create %s: %d %v", username, r.status, r.body)
	}
	f.settled(t, username)
}

// settled makes the accounts of usernames, created through the API with
// the fixture's password, ones whose holders have changed the initial
// password (TestPasswordChangeRequired tests the change), for tests of
// what they may do.
func (f *fixture) settled(t *testing.T, usernames ...string) {
	t.Helper()
	for _, u := range usernames {
		sqldbtest.Exec(t, f.db, `UPDATE users SET password_change_required = FALSE
			WHERE username = $1`, u)
	}
}
