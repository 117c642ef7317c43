package auth_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestLockOutWarnMasksEveryUsername: the warning of a username locked out
// logged a username shorter than a citizen ID as it was, and a username
// may be a passport or permit number, a phone number, an organisation
// code: E12345678 was logged whole. Every form a username takes
// (lower-case letters, digits, '.', '_' and '-', 3 to 64 of them, typed in
// upper case too, as a login lower-cases it) is now masked in the warning,
// a name of 15 letters and digits or more keeping its first 6 and last 2
// of them (ident.MaskValue), a shorter one all '*', and the log holds none
// of them whole: the audit log has the attempts in full. On both engines.
func TestLockOutWarnMasksEveryUsername(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newThrottleHarness(t, db)
		long := "nanhai.district.data.resource.administration.clerks-on-duty_2026"
		cases := []struct{ typed, masked string }{
			{"clerk", "*****"},                               // the harness's account, letters only
			{"qzx", "***"},                                   // the shortest
			{"wang.fang", "*********"},                       // a name with a dot
			{"li_na-2", "*******"},                           // '_', '-' and a digit
			{"zhang-san.1990", "**************"},             // a birth year in it
			{"E12345678", "*********"},                       // a passport number, typed in upper case
			{"h1234567801", "***********"},                   // a Hong Kong and Macao permit
			{"13800138000", "***********"},                   // a mobile number
			{"12345678-9", "**********"},                     // an organisation code
			{"440605195001010008", "440605**********08"},     // a citizen ID
			{"11010519491231002X", "110105**********2x"},     // one whose check character is X
			{"110105-19491231-0021", "110105************21"}, // one with hyphens
			{"91350100m000100y43", "913501**********43"},     // a credit code
			{long, "nanhai" + strings.Repeat("*", len(long)-8) + "26"},
		}
		if len(long) != 64 {
			t.Fatalf("the longest username is %d characters, want 64", len(long))
		}
		for n, c := range cases {
			addr := "192.0.2." + strconv.Itoa(n+1)
			for range org.MaxLoginFailures {
				h.login(addr, c.typed, "Wrong-Horse-9", "")
			}
			if a := h.login(addr, c.typed, "Wrong-Horse-9", ""); a.status != http.StatusTooManyRequests || a.code != "login_locked" {
				t.Fatalf("login of %s once locked out: %d %s, want 429 login_locked", c.typed, a.status, a.code)
			}
		}
		var got []string
		for l := range strings.Lines(h.log.String()) {
			var m map[string]any
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Fatalf("log line %q: %v", l, err)
			}
			if m["level"] == "WARN" && m["msg"] == "username locked out after failed logins" {
				s, _ := m["username"].(string)
				got = append(got, s)
			}
		}
		if len(got) != len(cases) {
			t.Fatalf("lock-out warnings of %q, want one of each of the %d usernames\n%s", got, len(cases), h.log.String())
		}
		for i, c := range cases {
			if got[i] != c.masked {
				t.Errorf("username %s logged as %q, want %q", c.typed, got[i], c.masked)
			}
			if name := strings.ToLower(c.typed); strings.Contains(h.log.String(), name) {
				t.Errorf("the log holds the username %s whole", name)
			}
		}
	})
}
