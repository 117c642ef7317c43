package text

import (
	"strconv"
	"strings"
)

// ChineseNumber reads a count written in ASCII digits or in Chinese
// numerals below 一万 (三, 两, 十二, 二十四, 一百, 一百零五, 两千): the time limits
// of a catalog's 时效要求, the periods of its 具体更新周期 and the "every N" of
// an imported 更新周期. A leading 十, 百 or 千 is one of it (十二 is 12, 百 is
// 100, 千 is 1000), and 廿 and 卅 are 二十 and 三十 (廿日 is 20, 卅一 is 31,
// 一百廿 is 120). 0 when it is neither (一二, 十百, 二廿, 零).
func ChineseNumber(s string) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	total, digit, last := 0, -1, 10000
	for _, r := range s {
		if d := strings.IndexRune("零一二三四五六七八九", r); d >= 0 || r == '两' || r == '〇' {
			switch {
			case r == '两':
				d = 6 // 两 is 3 bytes, like the others
			case r == '〇':
				d = 0
			}
			if digit > 0 {
				return 0 // 一二: digits in a row
			}
			digit = d / 3
			continue
		}
		if tens := map[rune]int{'廿': 20, '卅': 30}[r]; tens > 0 {
			if digit >= 0 || last <= 10 {
				return 0 // 二廿, 零廿, 十廿
			}
			total, last = total+tens, 10
			continue
		}
		unit := map[rune]int{'十': 10, '百': 100, '千': 1000}[r]
		if unit == 0 || unit >= last || digit == 0 || digit < 0 && total != 0 {
			return 0
		}
		if digit < 0 {
			digit = 1 // 十二, 百日
		}
		total, digit, last = total+digit*unit, -1, unit
	}
	if digit > 0 {
		total += digit
	}
	return total
}
