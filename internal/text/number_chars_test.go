package text

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestNumeralChars: NumeralChars, the characters the callers' patterns
// take for a number, are those ChineseNumber understands: every rune it
// reads in some numeral (alone, after or before 一, or between 一百 and 一,
// as 零 is) is in it, and every rune in it is read. Until 2026-12-05 the
// catalog spelled the class out four times, the cadence's without 千, 万,
// 廿 and 卅, so that 每廿天 was no cadence.
func TestNumeralChars(t *testing.T) {
	understood := func(r rune) bool {
		s := string(r)
		return ChineseNumber(s) > 0 || ChineseNumber("一"+s) > 0 || ChineseNumber(s+"一") > 0 || ChineseNumber("一百"+s+"一") > 0
	}
	for r := rune(0); r <= 0xFFFF; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		if in := strings.ContainsRune(NumeralChars, r); understood(r) != in {
			t.Errorf("%q: understood %v, in NumeralChars %v", r, understood(r), in)
		}
	}
}
