package web

import "testing"

// TestFormatCount: counts are shown with their thousands separated.
func TestFormatCount(t *testing.T) {
	for _, c := range []struct {
		n    any
		want string
	}{{0, "0"}, {999, "999"}, {1000, "1,000"}, {int64(171505), "171,505"}, {-1234567, "-1,234,567"}} {
		if got, err := formatCount(c.n); err != nil || got != c.want {
			t.Errorf("formatCount(%v) = %q, %v; want %q", c.n, got, err, c.want)
		}
	}
	if _, err := formatCount("12"); err == nil {
		t.Error("formatCount of a string: no error")
	}
}
