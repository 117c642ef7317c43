package text

import (
	"math"
	"testing"
)

// TestChineseNumberDigitsAfterWan reads two to four ASCII digits after 万
// as the number below 万 they write, as in 1万5000 (15000), 3万0500 and
// 3万500 (30500), 2万05 (20005): until 2026-12-05 they were none, so that
// 1万5000日内 stated no limit where 1万5千日内 is 15000 days. One digit
// after 万 is still of the thousands, as spoken (1万5 is 15000), and five
// or more, or digits before another unit, make no number (1万50000,
// 1万500千).
func TestChineseNumberDigitsAfterWan(t *testing.T) {
	for s, want := range map[string]int{"1万5000": 15000, "3万0500": 30500, "3万500": 30500, "2万05": 20005, "1万0000": 10000,
		"十万2000": 102000, "2500万3000": 25003000, "一万5000": 15000, "1万5": 15000, "99999999999999999999万5000": math.MaxInt,
		"1万50000": 0, "1万500千": 0, "万万5000": 0} {
		if got := ChineseNumber(s); got != want {
			t.Errorf("ChineseNumber(%q) = %d, want %d", s, got, want)
		}
	}
}
