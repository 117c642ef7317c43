package catalog_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
)

// TestReadTimeLimitHalfWorkingDay: half a working day, alone or after the
// number (半个工作日内, 1个半工作日内, 两个半工作日内), is read as a decimal of
// one is (2.5个工作日内 3, TestReadTimeLimitDecimals): a working day has no
// unit below it, so the part counts as a whole one more, 半个 1, 1个半 2,
// 两个半 3. 两个半工作日 is two working days and a half, not two half
// days as 两个半天 may be: 半工作日 is no word as 半天 is. A half after 上
// or 下 is a time of the working day, 0 and a half none, as 0个半月内 is,
// and a decimal before a half (一点五个半工作日内) none, as 1.5个半月内 is.
// Until 2026-12-06 none of them stated a limit, and a licence could
// promise them unchecked. Half a working day alone is within a licence's
// real time (TestReadTimeLimitPartWorkingDayLicence); one and a half is
// not.
func TestReadTimeLimitHalfWorkingDay(t *testing.T) {
	readsAs(t, []limitRead{
		{"半个工作日内", catalog.LimitWorkingDays, 1, "半个工作日内"},
		{"办结后半工作日内更新", catalog.LimitWorkingDays, 1, "半工作日内"},
		{"1个半工作日内", catalog.LimitWorkingDays, 2, "1个半工作日内"},
		{"一个半工作日内报送", catalog.LimitWorkingDays, 2, "一个半工作日内"},
		{"两个半工作日内", catalog.LimitWorkingDays, 3, "两个半工作日内"},
		{"不超过两个半工作日", catalog.LimitWorkingDays, 3, "两个半工作日"},
		{"实时推送，最迟一个半工作日内", catalog.LimitWorkingDays, 2, "一个半工作日内"},
		{"上半个工作日内完成", "", 0, ""},
		{"0个半工作日内", "", 0, ""},
		{"一点五个半工作日内", "", 0, ""},
	})
	refusedForLicence(t, "两个半工作日内")
	businessAccepts(t, "半个工作日内", "1个半工作日内", "一个半工作日内")
	licenceAccepts(t, "半个工作日内")
	licenceRefuses(t, "1个半工作日内", "一个半工作日内")
}

// TestReadTimeLimitChineseDecimals: a decimal in Chinese numerals, its
// decimals one digit each (一点五天内, 两点五个工作日内, 零点五天内), is read as
// the decimal in digits is (TestReadTimeLimitDecimals): 一点五天 36 hours,
// 两点五个工作日 3 working days, 零点五天 12 hours, 一点五个月 42 days.
// Until 2026-12-06 the numeral after 点 was read alone, so that
// 一点五天内 was 5 days and refused for business data, which it is within
// the rule for, and 两点五个工作日内 5 working days. A whole that is no
// numeral (二廿点五天内) or a number of none (零点零天内) states no limit, and
// a time of the day (当日十七点三十分前推送, 当天两点半前推送) is no decimal.
func TestReadTimeLimitChineseDecimals(t *testing.T) {
	readsAs(t, []limitRead{
		{"一点五天内", catalog.LimitHours, 36, "一点五天内"},
		{"零点五天内", catalog.LimitHours, 12, "零点五天内"},
		{"〇点五天内", catalog.LimitHours, 12, "〇点五天内"},
		{"办结后三点二五天内更新", catalog.LimitHours, 78, "三点二五天内"},
		{"三点零天内", catalog.LimitDays, 3, "三点零天内"},
		{"两点五个工作日内", catalog.LimitWorkingDays, 3, "两点五个工作日内"},
		{"零点五个工作日内", catalog.LimitWorkingDays, 1, "零点五个工作日内"},
		{"一点五个月内", catalog.LimitDays, 42, "一点五个月内"},
		{"一点二五年内", catalog.LimitDays, 456, "一点二五年内"},
		{"零点五周内", catalog.LimitDays, 3, "零点五周内"},
		{"四十八点五小时内", catalog.LimitHours, 49, "四十八点五小时内"},
		{"不超过一点五天", catalog.LimitHours, 36, "一点五天"},
		{"零点零天内", "", 0, ""},
		{"二廿点五天内", "", 0, ""},
		{"每月一点五日前", "", 0, ""},
		{"当日十七点三十分前推送", catalog.LimitRealTime, 0, "当日"},
		{"当天两点半前推送", catalog.LimitRealTime, 0, "当天"},
	})
	refusedForLicence(t, "两点五个工作日内", "一点五个月内", "四十八点五小时内")
	businessAccepts(t, "一点五天内", "零点五天内", "零点五个工作日内")
}
