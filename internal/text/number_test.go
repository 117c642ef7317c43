package text

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestChineseNumber reads the numerals catalogs write, and refuses what is
// no number. A leading 百 or 千 is one of it, as a leading 十 is (百 read 0,
// so 百日内 stated no limit), and 廿 and 卅 are 二十 and 三十.
func TestChineseNumber(t *testing.T) {
	for s, want := range map[string]int{"3": 3, "12": 12, "三": 3, "两": 2, "十": 10, "十二": 12, "二十": 20, "二十四": 24,
		"九十九": 99, "一百": 100, "一百零五": 105, "一百二十": 120, "两千": 2000, "三百六十五": 365, "〇": 0,
		"百": 100, "百二十": 120, "千": 1000, "廿": 20, "廿五": 25, "卅": 30, "卅一": 31, "一百廿": 120, "二百卅五": 235,
		"": 0, "一二": 0, "十十": 0, "十百": 0, "零十": 0, "百十": 0, "天": 0,
		"二廿": 0, "十廿": 0, "廿十": 0, "廿廿": 0, "廿百": 0, "零廿": 0, "一百零廿": 0} {
		if got := ChineseNumber(s); got != want {
			t.Errorf("ChineseNumber(%q) = %d, want %d", s, got, want)
		}
	}
}

// upTo99 is the reader records.periodCount and catalogio.number each had
// before ChineseNumber replaced them.
func upTo99(s string) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	digits := map[rune]int{'一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	tens, ones, seenTen := 0, 0, false
	for _, r := range s {
		switch d, ok := digits[r]; {
		case r == '十' && !seenTen:
			tens, ones, seenTen = max(ones, 1), 0, true
		case ok && ones == 0:
			ones = d
		default:
			return 0
		}
	}
	return tens*10 + ones
}

// upTo3 is every text of one to three characters of alphabet.
func upTo3(alphabet string) []string {
	var texts []string
	for _, a := range alphabet {
		texts = append(texts, string(a))
		for _, b := range alphabet {
			texts = append(texts, string(a)+string(b))
			for _, c := range alphabet {
				texts = append(texts, string(a)+string(b)+string(c))
			}
		}
	}
	return texts
}

// TestChineseNumberAsBefore: on every text of up to three characters the
// callers' patterns let through ([0-9一二两三四五六七八九十]), ChineseNumber
// reads what the readers it replaced read, but for texts mixing digits and
// numerals (十2, 3十): they read none, and since 2026-12-05 a digit in a
// numeral reads as the numeral it stands for (TestChineseNumberDigitAsNumeral).
func TestChineseNumberAsBefore(t *testing.T) {
	for _, s := range upTo3("0123456789一二两三四五六七八九十") {
		if strings.ContainsAny(s, "0123456789") && strings.ContainsFunc(s, func(r rune) bool { return r >= utf8.RuneSelf }) {
			continue
		}
		if got, want := ChineseNumber(s), upTo99(s); got != want {
			t.Errorf("ChineseNumber(%q) = %d, before %d", s, got, want)
		}
	}
}
