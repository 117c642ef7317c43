package audit_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
)

// TestDetailTimesInBeijingTime: every member of a detail stored as an
// RFC 3339 time, not only a past-time read's at (the until of an
// auth.throttle row, a produced_at), is shown in Beijing time with the
// text as written beside it, for the console's audit page and hutong
// audit list alike; a date or a reason is not a time. Before, only at was.
func TestDetailTimesInBeijingTime(t *testing.T) {
	for _, c := range []struct{ of, key, value, want string }{
		{"auth.throttle", "until", "2026-12-05T04:23:32Z", "2026-12-05 12:23:32"},
		{"records.batch", "produced_at", "2026-03-02T01:30:00.25Z", "2026-03-02 09:30:00.25"},
		{"records.batch", "note", "2026-03-02", "2026-03-02"},
	} {
		f := audit.DetailFields(c.of, "", audit.Detail(c.key, c.value))
		raw := c.value
		if c.want == c.value {
			raw = ""
		}
		if len(f) != 1 || f[0].Value != c.want || f[0].Raw != raw {
			t.Errorf("%s %s=%q: %+v, want %q beside %q", c.of, c.key, c.value, f, c.want, raw)
		}
	}
}
