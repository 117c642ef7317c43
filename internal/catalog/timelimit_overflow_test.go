package catalog_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
)

// TestReadTimeLimitHugeNumbers: a number of days or hours above 3660 days
// (87840 hours) counts as that many, so that comparing a limit with a 顺延
// of another cannot overflow: 2个工作日内…可顺延至300000000000000000个工作日
// read as 2 working days (the extension's bound overflowed to a negative
// number and lost the comparison), and 2000000000000000000周内 as a
// negative number of days, within 2. Such a text now reads as the long
// limit it states and is refused as one (timeliness_exceeds_rule). So does
// a number of digits too many for an int (99999999999999999999个工作日内),
// which until 2026-12-05 stated no limit and was never checked. A day of
// the month outside 1 to 31 (每月32日前) states no limit that can be read.
func TestReadTimeLimitHugeNumbers(t *testing.T) {
	for _, tt := range []struct {
		text  string
		kind  catalog.LimitKind // "" for none read
		n     int
		words string
	}{
		{"2个工作日内更新，遇特殊情况可顺延至300000000000000000个工作日", catalog.LimitWorkingDays, 3660, "300000000000000000个工作日"},
		{"300000000000000000个工作日内", catalog.LimitWorkingDays, 3660, "300000000000000000个工作日内"},
		{"2个工作日内更新，遇特殊情况可顺延至2000000000000000000周内", catalog.LimitDays, 3660, "2000000000000000000周内"},
		{"2000000000000000000周内", catalog.LimitDays, 3660, "2000000000000000000周内"},
		{"1000周内", catalog.LimitDays, 3660, "1000周内"},
		{"2个工作日内更新，遇特殊情况可顺延至9000000000000000000小时内", catalog.LimitHours, 87840, "9000000000000000000小时内"},
		{"3660个工作日内", catalog.LimitWorkingDays, 3660, "3660个工作日内"},
		{"87841小时内", catalog.LimitHours, 87840, "87841小时内"},
		{"99999999999999999999个工作日内", catalog.LimitWorkingDays, 3660, "99999999999999999999个工作日内"},
		{"99999999999999999999周内", catalog.LimitDays, 3660, "99999999999999999999周内"},
		{"2个工作日内更新，遇特殊情况可顺延至99999999999999999999小时内", catalog.LimitHours, 87840, "99999999999999999999小时内"},
		{"九千九百九十九日内", catalog.LimitDays, 3660, "九千九百九十九日内"},
		{"000个工作日内", "", 0, ""},
		{"次月99999999999999999999日前报送", "", 0, ""},
		{"每月31日前更新上月数据", catalog.LimitMonthly, 31, "每月31日前"},
		{"每月32日前更新上月数据", "", 0, ""},
		{"次月99999999999999999日前报送", "", 0, ""},
		{"每月五十日前报送", "", 0, ""},
	} {
		l, ok := catalog.ReadTimeLimit(tt.text)
		if ok != (tt.kind != "") || ok && (l.Kind != tt.kind || l.N != tt.n || l.Words != tt.words) {
			t.Errorf("ReadTimeLimit(%q) = %+v, %v; want %s %d %q", tt.text, l, ok, tt.kind, tt.n, tt.words)
		}
		if ok && l.Within2() {
			t.Errorf("ReadTimeLimit(%q) = %+v: within 2 working days", tt.text, l)
		}
	}
	for _, text := range []string{"2个工作日内更新，遇特殊情况可顺延至300000000000000000个工作日", "2000000000000000000周内",
		"2个工作日内更新，遇特殊情况可顺延至2000000000000000000周内", "99999999999999999999个工作日内"} {
		r := household()
		r.Timeliness = text
		if errs := catalog.ValidateEntry(r); len(errs) != 1 || errs[0].Code != "timeliness_exceeds_rule" {
			t.Errorf("%q: errors %v, want timeliness_exceeds_rule", text, errs)
		}
	}
}
