package text

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestChineseNumberDigits reads ASCII digits standing as digits of a
// Chinese numeral, before 十, 百, 千 or 万 or after them (3千 is 3000, 2百
// 200, 1万5千 15000, 3万零5 30005): until 2026-12-05 only digits alone or
// before 万 were read, and 3千, 2百, 1万5千 and 3万零5 were 0, so that
// 3千日内 stated no limit, and 万1 was 0 where 万一 is 11000. Digits
// stand one to a place, as numerals do:
// several in a row are a number alone, before 万 or after it (the number
// below 万 they write: TestChineseNumberDigitsAfterWan), not before 十, 百
// or 千 (12千 is none, as 一二千 is).
func TestChineseNumberDigits(t *testing.T) {
	for s, want := range map[string]int{"3千": 3000, "2百": 200, "1万5千": 15000, "3万零5": 30005, "1千5百": 1500,
		"1千零5": 1005, "一百零5": 105, "3千万": 30000000, "1万5": 15000, "万1": 11000, "2百5": 250, "十2": 12, "3十": 30,
		"12千": 0, "1二": 0, "2廿": 0, "0百": 0, "3千十": 0, "2十零5": 0} {
		if got := ChineseNumber(s); got != want {
			t.Errorf("ChineseNumber(%q) = %d, want %d", s, got, want)
		}
	}
}

// TestChineseNumberDigitAsNumeral: an ASCII digit in a numeral reads as
// the Chinese digit it stands for, on every text of up to three characters
// of digits and numerals that has one and holds no two digits in a row
// (those read as a number: 10万 is 100000, 一零万 none).
func TestChineseNumberDigitAsNumeral(t *testing.T) {
	numerals := []rune("零一二三四五六七八九")
	tested := 0
	for _, s := range upTo3("0123456789零〇一二两三四五六七八九十百千万廿卅") {
		spelled := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return numerals[r-'0']
			}
			return r
		}, s)
		if spelled == s || !strings.ContainsFunc(s, func(r rune) bool { return r >= utf8.RuneSelf }) || twoDigits(s) {
			continue // no digit, no numeral, or a number of digits
		}
		tested++
		if got, want := ChineseNumber(s), ChineseNumber(spelled); got != want {
			t.Errorf("ChineseNumber(%q) = %d, ChineseNumber(%q) = %d", s, got, spelled, want)
		}
	}
	if tested == 0 {
		t.Fatal("no text tested")
	}
}

// twoDigits reports whether s holds two ASCII digits in a row.
func twoDigits(s string) bool {
	prev := utf8.RuneError
	for _, r := range s {
		if r >= '0' && r <= '9' && prev >= '0' && prev <= '9' {
			return true
		}
		prev = r
	}
	return false
}
