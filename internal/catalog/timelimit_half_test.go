package catalog_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
)

// TestReadTimeLimitHalf: half a month or a year (半个月内, 半月内, 1个半月内,
// 半年内, 一年半内) is read as days, as months and years are, each month its
// shortest, 28 days, and each year 365: half a month is 14 days, 1个半月 42,
// half a year 182 (365/2, rounded down, so that the shortest reading
// counts), 一年半 547. Until 2026-12-05 none of them stated a limit, and
// a licence could promise them unchecked. A span after 近 (近半年内) is
// the data's, as 近三年内 is, and a half after 上, 下 or 前, or after 后
// following a month or a year (上半年内, 每月下半月内, 每年前半年内,
// 每月后半月内) a date of the calendar, as 每年3月内 is; after another 后
// (办结后半月内) a span.
func TestReadTimeLimitHalf(t *testing.T) {
	readsAs(t, []limitRead{
		{"半个月内", catalog.LimitDays, 14, "半个月内"},
		{"办结后半月内更新", catalog.LimitDays, 14, "半月内"},
		{"半个自然月内", catalog.LimitDays, 14, "半个自然月内"},
		{"1个半月内", catalog.LimitDays, 42, "1个半月内"},
		{"一个半月以内", catalog.LimitDays, 42, "一个半月以内"},
		{"两个半月之内", catalog.LimitDays, 70, "两个半月之内"},
		{"半年内", catalog.LimitDays, 182, "半年内"},
		{"一年半内", catalog.LimitDays, 547, "一年半内"},
		{"1年半以内", catalog.LimitDays, 547, "1年半以内"},
		{"两年半内", catalog.LimitDays, 912, "两年半内"},
		{"一万年半内", catalog.LimitDays, 3660, "一万年半内"},
		{"近半年内数据，2个工作日内更新", catalog.LimitWorkingDays, 2, "2个工作日内"},
		{"0个半月内", "", 0, ""},
		{"上半年内完成", "", 0, ""},
		{"每月下半月内报送", "", 0, ""},
		{"每月前半月内报送", "", 0, ""},
		{"每年前半年内", "", 0, ""},
		{"每年后半年内", "", 0, ""},
		{"每月后半月内报送", "", 0, ""},
		{"每半年内", "", 0, ""},
	})
	refusedForLicence(t, "半个月内", "半月内", "1个半月内", "半年内", "一年半内")
}
