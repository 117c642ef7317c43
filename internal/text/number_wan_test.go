package text

import (
	"math"
	"strconv"
	"testing"
)

// TestChineseNumberWan reads 万 (ten thousand), after Chinese numerals or
// ASCII digits, or alone: until 2026-12-05 ChineseNumber read numerals below
// 一万 only, and 一万, 1万, 十万 and 万 were 0, so that 一万个工作日内 stated no
// limit while 10000个工作日内 did. What follows 万 is a numeral below 一万
// (一万零五, 一万二千), a digit right after it its thousands (一万五 is
// 15000), or digits (TestChineseNumberDigitsAfterWan). A number too large for an int is math.MaxInt
// (TestChineseNumberOverflow).
func TestChineseNumberWan(t *testing.T) {
	for s, want := range map[string]int{"万": 10000, "一万": 10000, "1万": 10000, "两万": 20000, "十万": 100000,
		"三十五万": 350000, "百万": 1000000, "一千万": 10000000, "10万": 100000, "2500万": 25000000,
		"一万零五": 10005, "一万二千": 12000, "一万零五百": 10500, "一万二千三百四十五": 12345, "九千九百九十九万九千九百九十九": 99999999,
		"一万五": 15000, "万五": 15000, "1万五千": 15000,
		"万万": 0, "零万": 0, "0万": 0, "一万十": 0, "一万百": 0, "万一二": 0, "一二万": 0,
		strconv.Itoa(math.MaxInt/10000+1) + "万": math.MaxInt, "99999999999999999999万": math.MaxInt} {
		if got := ChineseNumber(s); got != want {
			t.Errorf("ChineseNumber(%q) = %d, want %d", s, got, want)
		}
	}
	if n := strconv.Itoa(math.MaxInt / 10000); ChineseNumber(n+"万") != math.MaxInt/10000*10000 {
		t.Errorf("ChineseNumber(%q) = %d, want %d", n+"万", ChineseNumber(n+"万"), math.MaxInt/10000*10000)
	}
}

// TestChineseNumberAbbreviated reads the abbreviated numerals of speech: a
// last digit right after 百, 千 or 万, with no 零 between, is of the next
// lower unit (一百五 is 150, 两千五 2500, 百五 150); until 2026-12-05 it was
// of the ones (105, 2005). A 零 after the tens (廿零五, 二十零五, 卅零一)
// stands for no unit skipped and makes no number, where it read 25, 25, 31.
func TestChineseNumberAbbreviated(t *testing.T) {
	for s, want := range map[string]int{"一百五": 150, "两千五": 2500, "百五": 150, "千五": 1500, "三千二百五": 3250,
		"一千零五": 1005, "一百零五": 105, "两千零五十": 2050, "一千二百零五": 1205, "一百〇五": 105, "一百二十五": 125,
		"十五": 15, "廿五": 25, "二十五": 25,
		"廿零五": 0, "二十零五": 0, "卅零一": 0, "十零五": 0, "一百二十零五": 0} {
		if got := ChineseNumber(s); got != want {
			t.Errorf("ChineseNumber(%q) = %d, want %d", s, got, want)
		}
	}
}
