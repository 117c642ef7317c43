package api_test

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/testlog"
)

// TestPasswordChangeLockOutWarn: a username locked out by wrong current
// passwords of password changes (POST /api/v1/me/password) is logged
// once as a warning, as one locked out by wrong logins is (docs/keys.md),
// where it logged none; the change refused during the lock-out logs no
// more. The warning says that a password change locked it out: it said
// "after failed logins", the login's words, and an operator looked for
// logins that never were. On both engines.
func TestPasswordChangeLockOutWarn(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		var logged testlog.Buffer
		f.serve(t, slog.New(slog.NewJSONHandler(&logged, nil)))
		session := f.session(t, "mz.reviewer")
		change := func(current string) response {
			return f.do(t, "POST", "/api/v1/me/password", "", `{"current_password":"`+current+`","password":"Another-Horse-7"}`, session...)
		}
		for i := range org.MaxLoginFailures {
			if r := change("Wrong-Horse-9"); r.status != http.StatusBadRequest || r.body["code"] != "wrong_password" {
				t.Fatalf("wrong current password %d: %d %v, want 400 wrong_password", i+1, r.status, r.body)
			}
		}
		if r := change(password); r.status != http.StatusTooManyRequests || r.body["code"] != "login_locked" {
			t.Fatalf("password change once locked out: %d %v, want 429 login_locked", r.status, r.body)
		}
		var warnings []map[string]any
		for l := range strings.Lines(logged.String()) {
			var m map[string]any
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Fatalf("log line %q: %v", l, err)
			}
			if m["level"] == "WARN" {
				warnings = append(warnings, m)
			}
		}
		if len(warnings) != 1 || warnings[0]["msg"] != "username locked out by a password change's wrong current password" ||
			warnings[0]["username"] != "***********" || warnings[0]["until"] != t0.Add(org.LockDuration).Format(time.RFC3339) {
			t.Errorf("warnings logged: %v, want one of mz.reviewer, masked, locked out until %s\n%s",
				warnings, t0.Add(org.LockDuration).Format(time.RFC3339), logged.String())
		}
	})
}
