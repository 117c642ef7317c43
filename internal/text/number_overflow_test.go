package text

import (
	"math"
	"strconv"
	"testing"
)

// TestChineseNumberOverflow: a number too large for an int is math.MaxInt,
// larger than any count the callers take; until 2026-12-05 it was 0, no
// number, so that 每99999999999999999999天 read as a cadence of no day
// (daily) and the catalog's limits parsed the numeral again to tell an
// overflow from no number. What is no number stays 0 whatever its size
// (99999999999999999999万十), and nought stays 0.
func TestChineseNumberOverflow(t *testing.T) {
	for s, want := range map[string]int{
		"99999999999999999999": math.MaxInt, strconv.Itoa(math.MaxInt): math.MaxInt,
		"9223372036854775808": math.MaxInt, "99999999999999999999万": math.MaxInt,
		"99999999999999999999万5千": math.MaxInt, "99999999999999999999万五千": math.MaxInt,
		strconv.Itoa(math.MaxInt/10000+1) + "万": math.MaxInt,
		"99999999999999999999万十":                0, "99999999999999999999万万": 0, "99999999999999999999千": 0,
		"00000000000000000000000": 0, "00000000000000000000000万": 0, "00000000000000000000001": 1} {
		if got := ChineseNumber(s); got != want {
			t.Errorf("ChineseNumber(%q) = %d, want %d", s, got, want)
		}
	}
}
