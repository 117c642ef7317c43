package main

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestUserTemporaryPassword: the password user create and user password
// set must be changed at the next login, and they say so, unless
// -temporary=false makes it the holder's own (an operator's own first
// account). On both engines.
func TestUserTemporaryPassword(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		vars, must := mustNanhaiBureau(t, dsn)
		if out := must("user", "create", "-username", "nh.op", "-name", "主管", "-department", "1", "-role", "operator",
			"-temporary=false"); strings.Contains(out, "须修改密码") {
			t.Errorf("create -temporary=false: %s", out)
		}
		if out := must("user", "create", "-username", "nh.rev", "-name", "审核", "-department", "1", "-role", "reviewer"); !strings.Contains(out, "首次登录须修改密码") {
			t.Errorf("create: %s", out)
		}
		db, err := sqldb.Open(t.Context(), dsn, sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		want := func(step, username string, forced bool) {
			t.Helper()
			u, err := org.UserByName(t.Context(), db.Read(), username)
			if err != nil || u.PasswordChangeRequired != forced {
				t.Errorf("%s: %s must change its password: %v (%v), want %v", step, username, u.PasswordChangeRequired, err, forced)
			}
		}
		// user list says which accounts must still change their
		// password (须修改初始密码), where it said 正常.
		listed := func(step, username, state string) {
			t.Helper()
			if line := userLine(t, must("user", "list"), username); !strings.HasSuffix(strings.TrimSpace(line), state) {
				t.Errorf("%s: user list: %q, want the state %s", step, line, state)
			}
		}
		want("create -temporary=false", "nh.op", false)
		listed("create -temporary=false", "nh.op", "正常")
		want("create", "nh.rev", true)
		listed("create", "nh.rev", "须修改初始密码")
		vars["HUTONG_PASSWORD"] = "Battery-Staple-7"
		must("user", "password", "-username", "nh.op")
		want("password", "nh.op", true)
		listed("password", "nh.op", "须修改初始密码")
		must("user", "password", "-username", "nh.rev", "-temporary=false")
		want("password -temporary=false", "nh.rev", false)
		listed("password -temporary=false", "nh.rev", "正常")
		if out, err := hutong(t, vars, "user", "list", "-temporary=false"); err == nil || !strings.Contains(err.Error(), "-temporary 只用于") {
			t.Errorf("list -temporary=false: %v\n%s", err, out)
		}
	})
}

// userLine is the line of user list's output out that lists username.
func userLine(t *testing.T, out, username string) string {
	t.Helper()
	for line := range strings.Lines(out) {
		if fields := strings.Fields(line); len(fields) > 1 && fields[1] == username {
			return line
		}
	}
	t.Fatalf("user list lacks %s:\n%s", username, out)
	return ""
}
