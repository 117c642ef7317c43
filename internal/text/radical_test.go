package text

import "testing"

// TestRadical: Radical reads every radical as Fold does (⻔ U+2ED4 as 门,
// ⼈ U+2F08 as 人), each Kangxi radical as an ideograph, and leaves
// other characters as they are.
func TestRadical(t *testing.T) {
	for r := rune(0x2e80); r <= 0x2fdf; r++ {
		u := Radical(r)
		kangxi := 0x2f00 <= r && r <= 0x2fd5
		switch {
		case u != r && string(u) != Fold(string(r)):
			t.Errorf("Radical(%U) = %U, Fold %q", r, u, Fold(string(r)))
		case kangxi && (u == r || u < 0x4e00):
			t.Errorf("Radical(%U) = %U, want an ideograph", r, u)
		}
	}
	for _, c := range [][2]rune{{'\u2ed4', '门'}, {'\u2f08', '人'}, {'门', '门'}, {'A', 'A'}, {'\u3231', '\u3231'}} {
		if got := Radical(c[0]); got != c[1] {
			t.Errorf("Radical(%U) = %U, want %U", c[0], got, c[1])
		}
	}
}
