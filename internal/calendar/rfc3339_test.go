package calendar_test

import (
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/calendar"
)

// TestParseRFC3339Offsets: an offset's minutes are 00 to 59 and it is of
// at most 24 hours; time.Parse alone takes +08:60 and ±24:60.
func TestParseRFC3339Offsets(t *testing.T) {
	for _, c := range []struct {
		s      string
		offset int // seconds east of UTC, when accepted
		ok     bool
	}{
		{"2026-12-01T10:00:00Z", 0, true},
		{"2026-12-01T10:00:00+08:00", 8 * 3600, true},
		{"2026-12-01T10:00:00.123456789+05:45", 5*3600 + 45*60, true},
		{"2026-12-01T10:00:00-09:30", -(9*3600 + 30*60), true},
		{"2026-12-01T10:00:00+23:59", 23*3600 + 59*60, true},
		{"2026-12-01T10:00:00+24:00", 24 * 3600, true},
		{"2026-12-01T10:00:00-24:00", -24 * 3600, true},
		{"2026-12-01T10:00:00+24:01", 0, false},
		{"2026-12-01T10:00:00+24:59", 0, false},
		{"2026-12-01T10:00:00+24:60", 0, false},
		{"2026-12-01T10:00:00-24:60", 0, false},
		{"2026-12-01T10:00:00+08:60", 0, false},
		{"2026-12-01T10:00:00-00:60", 0, false},
		{"2026-12-01T10:00:00+99:00", 0, false},
		{"2026-12-01T10:00:00", 0, false},
		{"2026-12-01", 0, false},
	} {
		got, err := calendar.ParseRFC3339(c.s)
		if !c.ok {
			if err == nil {
				t.Errorf("%s: accepted as %v, want refused", c.s, got)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.s, err)
			continue
		}
		if _, off := got.Zone(); off != c.offset {
			t.Errorf("%s: offset %d, want %d", c.s, off, c.offset)
		}
		if want, _ := time.Parse(time.RFC3339Nano, c.s); !got.Equal(want) {
			t.Errorf("%s: %v, want %v", c.s, got, want)
		}
	}
}
