package text

import (
	"net/url"
	"testing"
)

// TestQueryTime: a space between a date and time of day and an offset,
// the + of the offset decoded from a query, is read as the + again; any
// other value is left as it came.
func TestQueryTime(t *testing.T) {
	for _, c := range []struct{ query, want string }{
		{"at=2026-03-01T00:00:00+08:00", "2026-03-01T00:00:00+08:00"},
		{"at=2026-03-01T00:00:00.5+08:00", "2026-03-01T00:00:00.5+08:00"},
		{"at=%202026-03-01T00:00:00+08:00%20", "2026-03-01T00:00:00+08:00"},
		{"at=2026-03-01T00:00:00%2B08:00", "2026-03-01T00:00:00+08:00"},
		{"at=2026-03-01T00:00:00-05:00", "2026-03-01T00:00:00-05:00"},
		{"at=2026-03-01%2000:00", "2026-03-01 00:00"},
		{"at=2026-03-01", "2026-03-01"},
		{"at=%202026-03-01", " 2026-03-01"},
		{"at=abc+08:00", "abc 08:00"},
		{"at=2026-03-01T00:00:00+8:00", "2026-03-01T00:00:00 8:00"},
		{"", ""},
	} {
		q, err := url.ParseQuery(c.query)
		if err != nil {
			t.Fatal(err)
		}
		if got := QueryTime(q, "at"); got != c.want {
			t.Errorf("QueryTime(%q) = %q, want %q", c.query, got, c.want)
		}
	}
}
