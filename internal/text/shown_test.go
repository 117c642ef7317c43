package text

import (
	"strings"
	"testing"
)

// TestShown: a value quoted in a message keeps its first characters, an
// ellipsis marking a cut, and writes what shows nothing or reorders the
// text as code points; a long value costs no more than the kept part.
func TestShown(t *testing.T) {
	for _, c := range []struct {
		s    string
		max  int
		want string
	}{
		{"4406O5", 20, "4406O5"},
		{"4406O5", 4, "4406…"},
		{"44 06\t05", 20, "44 06[U+0009]05"},
		{"44\u200b06\u202e05", 20, "44[U+200B]06[U+202E]05"},
		{"44\xff05", 20, "44[\\xFF]05"},
		{"南海区", 3, "南海区"},
		{"", 3, ""},
	} {
		if got := Shown(c.s, c.max); got != c.want {
			t.Errorf("Shown(%q, %d) = %q, want %q", c.s, c.max, got, c.want)
		}
	}
	long := strings.Repeat("\ufdfa", 1<<20)
	if n := testing.AllocsPerRun(10, func() { Shown(long, 20) }); n > 8 {
		t.Errorf("Shown of 3 MB: %v allocations, want at most 8", n)
	}
}
