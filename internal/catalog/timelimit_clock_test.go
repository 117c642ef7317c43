package catalog_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
)

// TestReadTimeLimitClockChinese: a number in Chinese numerals with 点
// after a word of a time of the day (早, 晚, 每晚, 傍晚, 夜, 夜间, 夜里, as
// 上午 or 下午), a day of the week (周一, 每周五, 星期三) or a range from a
// time (九点至, 八点半到) is a time of the day, not a decimal: the number
// after 点 is the limit, as it was before Chinese decimals were read
// (d34d131, 2026-12-06). From then until this change 每晚十点三天内办结 read
// as 10.3 days (247 hours) and was refused for business data, and
// 每周一八点三小时内推送 stated no limit. A bare 一点五天内 stays 1.5 days, and so
// does one after 最晚 (at the latest) or 尽早 (as soon as possible).
func TestReadTimeLimitClockChinese(t *testing.T) {
	readsAs(t, []limitRead{
		{"每晚十点三天内办结", catalog.LimitDays, 3, "三天内"},
		{"晚十点一天内推送", catalog.LimitDays, 1, "一天内"},
		{"早八点五小时内推送", catalog.LimitHours, 5, "五小时内"},
		{"傍晚六点一个工作日内推送", catalog.LimitWorkingDays, 1, "一个工作日内"},
		{"夜十一点二小时内推送", catalog.LimitHours, 2, "二小时内"},
		{"夜间十一点二小时内推送", catalog.LimitHours, 2, "二小时内"},
		{"夜里十二点一天内推送", catalog.LimitDays, 1, "一天内"},
		{"九点至十七点三小时内推送", catalog.LimitHours, 3, "三小时内"},
		{"八点半到十七点三小时内推送", catalog.LimitHours, 3, "三小时内"},
		{"每周一八点三小时内推送", catalog.LimitHours, 3, "三小时内"},
		{"每周五十七点三个工作日内推送", catalog.LimitWorkingDays, 3, "三个工作日内"},
		{"星期五十七点一个工作日内推送", catalog.LimitWorkingDays, 1, "一个工作日内"},
		{"傍晚六点五个工作日内推送", catalog.LimitWorkingDays, 5, "五个工作日内"},
		{"一点五天内", catalog.LimitHours, 36, "一点五天内"},
		{"办结后最晚一点五天内推送", catalog.LimitHours, 36, "一点五天内"},
		{"尽早一点五天内推送", catalog.LimitHours, 36, "一点五天内"},
		{"办结后一点五天内推送", catalog.LimitHours, 36, "一点五天内"},
		{"十七点三个工作日内推送", catalog.LimitWorkingDays, 18, "十七点三个工作日内"},
	})
	businessAccepts(t, "每晚十点一天内办结", "晚十点一天内推送", "早八点五小时内推送", "夜里十二点一天内推送",
		"九点至十七点三小时内推送", "一点五天内")
	refusedForLicence(t, "每晚十点三天内办结", "傍晚六点五个工作日内推送")
}
