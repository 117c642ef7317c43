package text

import (
	"math"
	"strconv"
	"strings"
)

// NumeralChars are the characters of the numbers ChineseNumber reads:
// ASCII digits, 零 (〇) to 九, 两, 十, 百, 千, 万, 廿 and 卅. Patterns that take
// a number for it to read put them in a character class ([…]).
const NumeralChars = "0123456789零〇一二两三四五六七八九十百千万廿卅"

// ChineseNumber reads a count written in ASCII digits or in Chinese
// numerals (三, 两, 十二, 二十四, 一百, 一百零五, 两千, 一万二千): the time
// limits of a catalog's 时效要求, the periods of its 具体更新周期 and the
// "every N" of an imported 更新周期. A leading 十, 百, 千 or 万 is one of it
// (十二 is 12, 百 is 100, 千 is 1000, 万 is 10000), and 廿 and 卅 are 二十 and
// 三十 (廿日 is 20, 卅一 is 31, 一百廿 is 120). A last digit right after 百,
// 千 or 万, with no 零 between, is of the next lower unit, as spoken (一百五
// is 150, 两千五 2500, 一万五 15000; 一百零五 is 105). Before 万 stands a
// number below 一万 in numerals or in ASCII digits of any size (十万, 三十五万,
// 1万, 2500万), after it a numeral below 一万 (一万零五, 1万五千) or two to
// four ASCII digits, the number below 一万 they write (1万5000 is 15000,
// 3万0500 and 3万500 30500; until 2026-12-05 none). An ASCII digit may
// stand for a digit of a numeral, one to a place (3千 is 3000, 2百 200,
// 1万5千 15000, 3万零5 30005, 1万5 15000, as 一万五): digits in a row are a
// number alone, before 万 or after it only (12千 and 1万50000 are none, as
// 一二千 is). 0 when it is
// neither (一二, 十百, 二廿, 零, 廿零五: a 零 after the tens skips no unit).
// A number too large for an int (99999999999999999999, 9999999999999999万)
// is math.MaxInt: larger than any count its callers take, where 0 would
// read as no number, or as none at all.
func ChineseNumber(s string) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	high, low, wan := strings.Cut(s, "万")
	if !wan {
		if s != "" && strings.Trim(s, "0123456789") == "" {
			return math.MaxInt // digits too many for an int
		}
		return belowWan(s, false)
	}
	l := 0
	switch {
	case len(low) >= 2 && len(low) <= 4 && strings.Trim(low, "0123456789") == "":
		l, _ = strconv.Atoi(low) // 1万5000, 3万0500, 3万500
	case low != "":
		if l = belowWan(low, true); l == 0 {
			return 0 // 一万十, 万万
		}
	}
	h := 1 // 万 is 一万
	if high != "" {
		var err error
		if strings.Trim(high, "0123456789") == "" {
			if h, err = strconv.Atoi(high); err != nil {
				return math.MaxInt // digits too many for an int
			}
		} else {
			h = belowWan(high, false)
		}
	}
	switch {
	case h <= 0:
		return 0
	case h > (math.MaxInt-l)/10000:
		return math.MaxInt
	}
	return h*10000 + l
}

// belowWan reads a Chinese numeral below 一万 (ChineseNumber), 0 when it is
// none. afterWan says it follows 万: a digit opening it is of the
// thousands (一万五 is 15000), a 零 may open it (一万零五), and a unit may not
// (一万十).
func belowWan(s string, afterWan bool) int {
	total, digit, last := 0, -1, 10000
	// unit is the unit read last while no digit or 零 followed it (万
	// before the part after it), digitAfter the one the digit read last
	// stood right after: a last digit right after 百, 千 or 万 is of the next
	// lower unit (一百五 is 150).
	unit, digitAfter := 0, 0
	if afterWan {
		unit = 10000
	}
	for _, r := range s {
		if d, ok := digitValue(r); ok {
			if digit > 0 {
				return 0 // 一二: digits in a row
			}
			if d == 0 && last == 10 {
				return 0 // 廿零五: 零 after the tens skips no unit
			}
			digit, digitAfter, unit = d, unit, 0
			continue
		}
		if tens := map[rune]int{'廿': 20, '卅': 30}[r]; tens > 0 {
			if digit >= 0 || last <= 10 || afterWan && total == 0 {
				return 0 // 二廿, 零廿, 十廿, 一万廿
			}
			total, last, unit = total+tens, 10, 0
			continue
		}
		u := map[rune]int{'十': 10, '百': 100, '千': 1000}[r]
		if u == 0 || u >= last || digit == 0 || digit < 0 && (total != 0 || afterWan) {
			return 0
		}
		if digit < 0 {
			digit = 1 // 十二, 百日
		}
		total, digit, last, unit = total+digit*u, -1, u, u
	}
	switch {
	case digit > 0 && digitAfter >= 100:
		total += digit * digitAfter / 10 // 一百五, 两千五, 一万五
	case digit > 0:
		total += digit
	}
	return total
}

// digitValue is the value of a digit of a numeral: 零 (〇) to 九, 两, or
// an ASCII digit standing for one (3千, 1万5千, 3万零5).
func digitValue(r rune) (int, bool) {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0'), true
	case r == '两':
		return 2, true
	case r == '〇':
		return 0, true
	}
	if i := strings.IndexRune("零一二三四五六七八九", r); i >= 0 {
		return i / len("零"), true
	}
	return 0, false
}
