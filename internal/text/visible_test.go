package text

import "testing"

func TestBlank(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"", true},
		{"   ", true},
		{"\t\r\n", true},
		{"\u3000\u00a0", true},
		{"\u200b", true},
		{"\ufeff", true},
		{" \u200b\u200c\u200d\u2060 ", true},
		{"\u3164", true},
		{"\uffa0\u115f\u1160", true},
		{"\ufe0f", true},
		{"\U000e0100", true},
		{"\u2028\u2029", true},
		{"\u00ad", true},
		{"\u202e", true},
		{"\u2800", true},
		{"张三", false},
		{"\u200b张三", false},
		{"·", false},
		{"\ufffd", false},
		{"\xff", false},
		{"0", false},
		{"\u0600", false}, // a visible format character
	} {
		if got := Blank(c.s); got != c.want {
			t.Errorf("Blank(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}
