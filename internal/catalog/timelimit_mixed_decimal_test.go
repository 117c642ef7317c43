package catalog_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
)

// TestReadTimeLimitClockBeforeDayCount: digits on one side of 点 and
// Chinese numerals on the other (8点一天, 十七点2天, 1点五天) are a time of
// the day and the number after 点 the limit, as they were until 452207c
// and as digits on both sides are: 8点一天内 is 1 day. From 452207c until
// this change (2026-12-06) they were a decimal right before 天 or 日, so
// that a clock hour before a day count read as decimal days: 8点一天内 and
// 截至8点一天内推送 194 hours and 截至十七点2天内推送 412, refused for
// business data, 0点三天内推送 7 hours, accepted where 3 days is refused. 截至 before a number in Chinese
// numerals with 点 makes it a time of the day too (截至八点一天内推送 1
// day, where it read 8.1 days before 452207c as well); 截止, which also
// names a deadline, does not.
func TestReadTimeLimitClockBeforeDayCount(t *testing.T) {
	readsAs(t, []limitRead{
		{"8点一天内", catalog.LimitDays, 1, "一天内"},
		{"截至8点一天内推送", catalog.LimitDays, 1, "一天内"},
		{"截至18点一日内推送", catalog.LimitDays, 1, "一日内"},
		{"截至十七点2天内推送", catalog.LimitDays, 2, "2天内"},
		{"十七点5天内推送", catalog.LimitDays, 5, "5天内"},
		{"0点三天内推送", catalog.LimitDays, 3, "三天内"},
		{"12点五天内", catalog.LimitDays, 5, "五天内"},
		{"1点五天内", catalog.LimitDays, 5, "五天内"},
		{"一点5天内", catalog.LimitDays, 5, "5天内"},
		{"办结后1点五天内推送", catalog.LimitDays, 5, "五天内"},
		{"8:00一点5天以内推送", catalog.LimitDays, 5, "5天以内"},
		{"8:00二点五日内推送", "", 0, ""},
		{"截至八点一天内推送", catalog.LimitDays, 1, "一天内"},
		{"截至一点五天内推送", catalog.LimitDays, 5, "五天内"},
	})
	businessAccepts(t, "8点一天内推送", "截至8点一天内推送", "截至18点一日内推送", "截至十七点2天内推送", "截至八点一天内推送")
	refusedForLicence(t, "0点三天内推送", "1点五天内")
}

// TestReadTimeLimitMixedDecimalHeld: what reads as before. Digits on both
// sides of 点 are a time of the day (1点5天内 5 days, the owner's decision
// in c72c293); a mixed number before another unit than 天 or 日 (个工作日,
// 小时, 个月, 周), or with 个 between, is one too, the number after 点 the
// limit; so is one after a time of the day or 第; a bare Chinese
// decimal stays one (九点三天内 9.3 days, documented), and so does one
// after 截止 (a deadline) or in a clause 截至 does not open.
func TestReadTimeLimitMixedDecimalHeld(t *testing.T) {
	readsAs(t, []limitRead{
		{"1点5天内", catalog.LimitDays, 5, "5天内"},
		{"截至每晚8点1个工作日内推送", catalog.LimitWorkingDays, 1, "1个工作日内"},
		{"截至每晚8点一个工作日内推送", catalog.LimitWorkingDays, 1, "一个工作日内"},
		{"17点三个工作日内推送", catalog.LimitWorkingDays, 3, "三个工作日内"},
		{"1点五小时内", catalog.LimitHours, 5, "五小时内"},
		{"8点一小时内推送", catalog.LimitHours, 1, "一小时内"},
		{"1点五个月内", catalog.LimitDays, 140, "五个月内"},
		{"1点五周内", catalog.LimitDays, 35, "五周内"},
		{"1点五个天内", catalog.LimitDays, 5, "五个天内"},
		{"每晚8点三天内办结", catalog.LimitDays, 3, "三天内"},
		{"下午1点五天内办结", catalog.LimitDays, 5, "五天内"},
		{"当日8点三小时内推送", catalog.LimitHours, 3, "三小时内"},
		{"第1点五天内", catalog.LimitDays, 5, "五天内"},
		{"每周五17点三天内推送", catalog.LimitDays, 3, "三天内"},
		{"九点三天内", catalog.LimitHours, 223, "九点三天内"},
		{"一点五天内", catalog.LimitHours, 36, "一点五天内"},
		{"截止一点五天内推送", catalog.LimitHours, 36, "一点五天内"},
		{"数据截至当日，一点五天内推送", catalog.LimitHours, 36, "一点五天内"},
		{"1.5天内", catalog.LimitHours, 36, "1.5天内"},
	})
}
