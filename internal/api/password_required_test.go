package api_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestPasswordRequired: a password left out or empty is told it is
// required (password_required), not that it is weak, on a reset and on a
// new account; nothing changes.
func TestPasswordRequired(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		users := f.count(t, "users")
		for _, c := range []struct{ path, body string }{
			{"/api/v1/users/3/password", `{}`},
			{"/api/v1/users/3/password", `{"password":""}`},
			{"/api/v1/users", `{"username":"nh.new","display_name":"新人","department_id":1,"role":"reviewer"}`},
		} {
			r := f.do(t, "POST", c.path, f.opKey, c.body)
			if r.status != 400 || r.body["code"] != "password_required" || r.body["field"] != "password" || r.body["detail"] != "密码不能为空" {
				t.Errorf("POST %s %s: %d %v", c.path, c.body, r.status, r.body)
			}
		}
		if n := f.count(t, "users"); n != users {
			t.Errorf("users: %d, want %d", n, users)
		}
	})
}
