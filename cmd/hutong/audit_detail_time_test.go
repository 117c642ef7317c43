package main

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
)

// TestDetailCellTimesInBeijing: hutong audit list shows a detail's time
// (the until of an auth.throttle row, stored in UTC as RFC 3339) in
// Beijing time, labelled （北京时间） as the command's other times are,
// beside the text as written, as it shows the at of a past-time read; a
// value that is no time is shown as written.
func TestDetailCellTimesInBeijing(t *testing.T) {
	for _, c := range []struct{ of, detail, want string }{
		{"auth.throttle", audit.Detail("until", "2026-12-05T04:23:32Z"), "截止=2026-12-05 12:23:32（北京时间）（2026-12-05T04:23:32Z）"},
		{"auth.throttle", audit.Detail("until", "2026-12-05T12:23:32.5+08:00"), "截止=2026-12-05 12:23:32.5（北京时间）（2026-12-05T12:23:32.5+08:00）"},
		{"records.read", audit.Detail("at", "2019-12-31T16:00:00Z"), "查询时点=2020-01-01 00:00:00（北京时间）（2019-12-31T16:00:00Z）"},
		{"auth.throttle", audit.Detail("until", "明天"), "截止=明天"},
		{"auth.throttle", audit.Detail("failures", "30"), "认证失败次数=30"},
	} {
		if got := detailCell(c.of, "", c.detail); got != c.want {
			t.Errorf("%s %s: %q, want %q", c.of, c.detail, got, c.want)
		}
	}
}
