package auth_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestThrottleAndLockOutWarn: an address throttled for failed API keys or
// failed logins, and a username locked out after failed logins, were
// logged only as the INFO lines of the requests refused, so that an
// operator watching warnings missed a guessing attack. Each start is one
// WARN line, with the ID of the request that started it, the address
// and, for a lock-out, the username masked as a subject's identifier is,
// however separated (TestLockOutWarnMasksEveryUsername has every form of
// username); the requests refused during it log no more. On both engines.
func TestThrottleAndLockOutWarn(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newThrottleHarness(t, db)
		const keys, logins = "203.0.113.7", "203.0.113.8"
		for range auth.FailureLimit {
			h.key(keys, badKey)
		}
		keysThrottled := "req-" + strconv.Itoa(h.sent)
		wantStatus(t, "failed key once throttled", h.key(keys, badKey), http.StatusTooManyRequests, auth.FailureWindow)
		for i := range auth.FailureLimit {
			h.login(logins, "spray"+strconv.Itoa(i), "Battery-Staple-7", "")
		}
		loginsThrottled := "req-" + strconv.Itoa(h.sent)
		wantStatus(t, "login once throttled", h.login(logins, "clerk", "Battery-Staple-7", ""), http.StatusTooManyRequests, auth.FailureWindow)
		// Usernames typed as a citizen ID, as one run and with the
		// hyphens a username accepts, each attempt from an address of its
		// own, none of them throttled.
		ids := []string{"440605195001010008", "110105-19491231-0021"}
		var locked, lockedFrom []string
		for n, id := range ids {
			for i := range org.MaxLoginFailures {
				h.login("198.51.10"+strconv.Itoa(n)+"."+strconv.Itoa(i+1), id, "wrong", "")
			}
			locked = append(locked, "req-"+strconv.Itoa(h.sent))
			lockedFrom = append(lockedFrom, "198.51.10"+strconv.Itoa(n)+"."+strconv.Itoa(org.MaxLoginFailures))
			if a := h.login("198.51.10"+strconv.Itoa(n)+".99", id, "wrong", ""); a.status != http.StatusTooManyRequests || a.code != "login_locked" {
				t.Errorf("login of %s locked out: %d %s, want 429 login_locked", id, a.status, a.code)
			}
		}

		type warning struct {
			Msg, RequestID, Address, Reason, Username string
		}
		var got []warning
		for l := range strings.Lines(h.log.String()) {
			var m map[string]any
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Fatalf("log line %q: %v", l, err)
			}
			if m["level"] == "WARN" {
				str := func(k string) string { s, _ := m[k].(string); return s }
				got = append(got, warning{str("msg"), str("request_id"), str("address"), str("reason"), str("username")})
				// A throttle's window in minutes, as its auth.throttle row
				// has it, not a time.Duration, which JSON writes in
				// nanoseconds (600000000000).
				if str("reason") != "" && (m["window_minutes"] != float64(auth.FailureWindow/time.Minute) || m["window"] != nil) {
					t.Errorf("throttle warning: window_minutes %v, window %v; want window_minutes %d",
						m["window_minutes"], m["window"], auth.FailureWindow/time.Minute)
				}
			}
		}
		want := []warning{
			{"client address throttled after failed authentication", keysThrottled, keys, "key_failures", ""},
			{"client address throttled after failed authentication", loginsThrottled, logins, "login_failures", ""},
			{"username locked out after failed logins", locked[0], lockedFrom[0], "", "440605**********08"},
			{"username locked out after failed logins", locked[1], lockedFrom[1], "", "110105************21"},
		}
		if len(got) != len(want) {
			t.Fatalf("warnings logged: %+v, want %+v\n%s", got, want, h.log.String())
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("warning %d: %+v, want %+v", i, got[i], want[i])
			}
		}
		for _, birth := range []string{"19500101", "19491231"} {
			if strings.Contains(h.log.String(), birth) {
				t.Errorf("a username typed as a citizen ID is logged with its birth date %s:\n%s", birth, h.log.String())
			}
		}
	})
}
