package catalog_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
)

// TestReadTimeLimitDigitsInNumerals: a limit whose numeral holds ASCII
// digits before 十, 百 or 千 or after 万 (3千日内, 2百个工作日内, 1万5千日内,
// 3万零5小时内) is read as the number it is (text.ChineseNumber): until
// 2026-12-05 it stated no limit, and a licence could promise it unchecked.
// Digits in a row before 千 (12千日内) make no numeral, as 一二千 does.
func TestReadTimeLimitDigitsInNumerals(t *testing.T) {
	readsAs(t, []limitRead{
		{"3千日内", catalog.LimitDays, 3000, "3千日内"},
		{"办结后2百个工作日内更新", catalog.LimitWorkingDays, 200, "2百个工作日内"},
		{"1万5千日内", catalog.LimitDays, 3660, "1万5千日内"},
		{"1万5千小时内", catalog.LimitHours, 15000, "1万5千小时内"},
		{"3万零5小时内", catalog.LimitHours, 30005, "3万零5小时内"},
		{"3万零5日内", catalog.LimitDays, 3660, "3万零5日内"},
		{"1千5百小时内", catalog.LimitHours, 1500, "1千5百小时内"},
		{"十2小时内", catalog.LimitHours, 12, "十2小时内"},
		{"99999999999999999999万5千日内", catalog.LimitDays, 3660, "99999999999999999999万5千日内"},
		{"12千日内", "", 0, ""},
	})
	refusedForLicence(t, "3千日内", "2百个工作日内", "1万5千日内", "3万零5日内", "1千5百小时内")
}

// TestReadTimeLimitDigitsAfterWan: a limit with two to four ASCII digits
// after 万 (1万5000日内) is read as the number they write with it
// (text.ChineseNumber: 15000), as 1万5千日内 is: until 2026-12-05 it stated
// no limit, and a licence could promise it unchecked; and 每1万5000天, a
// cadence of 15000 days as 每30天 is, beside which 当日 states no limit, was
// a cadence of no days, daily, so that 每1万5000天更新，当日推送 read as real
// time.
func TestReadTimeLimitDigitsAfterWan(t *testing.T) {
	readsAs(t, []limitRead{
		{"1万5000日内", catalog.LimitDays, 3660, "1万5000日内"},
		{"1万5000小时内", catalog.LimitHours, 15000, "1万5000小时内"},
		{"3万0500小时内", catalog.LimitHours, 30500, "3万0500小时内"},
		{"办结后1万500个工作日内更新", catalog.LimitWorkingDays, 3660, "1万500个工作日内"},
		{"1万50000小时内", "", 0, ""},
		{"每1万5000天更新，当日推送", "", 0, ""},
	})
	refusedForLicence(t, "1万5000日内", "3万0500小时内")
}
