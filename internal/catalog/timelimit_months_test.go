package catalog_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
)

// TestReadTimeLimitMonthsYears: a limit in months or years (1个月内,
// 一个月内, 3月内, 1年内, 十年内) is read as days, each month its shortest, 28
// days, and each year 365, as a week is 7: a limit is too lax when even its
// shortest reading is longer than the rule. Until 2026-12-05 none was
// read, and a licence could promise 1年内 unchecked. Above 3660 days it
// counts as 3660, as days do. A month after a year (每年3月内, 2025年6月内)
// or a year of four digits (2025年内) is a date of the calendar, and a span
// after 近 or 过去 (近三年内数据) the data's, not limits, and a cadence
// (每3个月) none either.
func TestReadTimeLimitMonthsYears(t *testing.T) {
	readsAs(t, []limitRead{
		{"1个月内", catalog.LimitDays, 28, "1个月内"},
		{"一个月内更新", catalog.LimitDays, 28, "一个月内"},
		{"3个月以内", catalog.LimitDays, 84, "3个月以内"},
		{"办结后两个月之内报送", catalog.LimitDays, 56, "两个月之内"},
		{"1个自然月内", catalog.LimitDays, 28, "1个自然月内"},
		{"3月内", catalog.LimitDays, 84, "3月内"},
		{"1年内", catalog.LimitDays, 365, "1年内"},
		{"一年以内", catalog.LimitDays, 365, "一年以内"},
		{"十年内", catalog.LimitDays, 3650, "十年内"},
		{"十一年内", catalog.LimitDays, 3660, "十一年内"},
		{"一万年内", catalog.LimitDays, 3660, "一万年内"},
		{"99999999999999999999年内", catalog.LimitDays, 3660, "99999999999999999999年内"},
		{"130个月内", catalog.LimitDays, 3640, "130个月内"},
		{"131个月内", catalog.LimitDays, 3660, "131个月内"},
		{"0个月内", "", 0, ""},
		{"每年3月内报送上年数据", "", 0, ""},
		{"2025年6月内", "", 0, ""},
		{"2025年内完成", "", 0, ""},
		{"每3个月更新一次", "", 0, ""},
		{"每隔一年内", "", 0, ""},
		{"近三年内数据，2个工作日内更新", catalog.LimitWorkingDays, 2, "2个工作日内"},
		{"过去一年内的数据实时推送", catalog.LimitRealTime, 0, "实时"},
		{"最近3个月内的业务数据，产生后次工作日前提供", catalog.LimitRealTime, 0, "次工作日"},
		{"2个工作日内更新，最迟1个月内", catalog.LimitDays, 28, "1个月内"},
		{"2个工作日内更新，遇特殊情况可顺延至1个月内", catalog.LimitDays, 28, "1个月内"},
	})
	refusedForLicence(t, "1个月内", "一个月内更新", "1年内", "十年内", "3月内", "两个月之内报送")
}
