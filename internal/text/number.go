package text

import (
	"strconv"
	"strings"
)

// ChineseNumber reads a count written in ASCII digits or in Chinese
// numerals below 一万 (三, 两, 十二, 二十四, 一百, 一百零五, 两千): the time limits
// of a catalog's 时效要求, the periods of its 具体更新周期 and the "every N" of
// an imported 更新周期. 0 when it is neither (一二, 十百, 零).
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
		unit := map[rune]int{'十': 10, '百': 100, '千': 1000}[r]
		if unit == 0 || unit >= last || digit == 0 || digit < 0 && (unit != 10 || total != 0) {
			return 0
		}
		if digit < 0 {
			digit = 1 // 十二
		}
		total, digit, last = total+digit*unit, -1, unit
	}
	if digit > 0 {
		total += digit
	}
	return total
}
