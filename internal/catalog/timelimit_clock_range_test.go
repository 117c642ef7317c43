package catalog_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
)

// TestReadTimeLimitClockNotDuration: a range from a duration (12小时至,
// 一天半到, 30分至) and 周, 星期 or 礼拜 without a day's numeral before an
// hour's are no time of the day, so a decimal in Chinese numerals after
// them is read whole: since c72c293 the range's 时, 分 or 半 and a bare 周
// took it for a clock time, 12小时至一点五天内推送 read 5 days (refused for
// business data, where 36 hours passes) and 每周一点五天内推送 5 days. A
// weekday and an hour (每周五十七点三个工作日内) and a range from a time
// (九点至, 八点半到, 8时30分至) stay clock times.
func TestReadTimeLimitClockNotDuration(t *testing.T) {
	readsAs(t, []limitRead{
		{"12小时至一点五天内推送", catalog.LimitHours, 36, "一点五天内"},
		{"十二小时至一点五天内推送", catalog.LimitHours, 36, "一点五天内"},
		{"24小时到两点五天内推送", catalog.LimitHours, 60, "两点五天内"},
		{"一天半到两点五天内推送", catalog.LimitHours, 60, "两点五天内"},
		{"半小时至一点五小时内推送", catalog.LimitHours, 2, "一点五小时内"},
		{"30分至一点五小时内推送", catalog.LimitHours, 2, "一点五小时内"},
		{"每周一点五天内推送", catalog.LimitHours, 36, "一点五天内"},
		{"本周一点五天内推送", catalog.LimitHours, 36, "一点五天内"},
		{"每星期一点五天内推送", catalog.LimitHours, 36, "一点五天内"},
		{"礼拜一点五天内推送", catalog.LimitHours, 36, "一点五天内"},
		{"每周两点五天内更新", catalog.LimitHours, 60, "两点五天内"},
		{"每周二点五个工作日内推送", catalog.LimitWorkingDays, 3, "二点五个工作日内"},
		{"十时至十七点三小时内推送", catalog.LimitHours, 3, "三小时内"},
		{"8时30分至十七点三小时内推送", catalog.LimitHours, 3, "三小时内"},
		{"九点整至十七点三小时内推送", catalog.LimitHours, 3, "三小时内"},
		{"每周五十七点三个工作日内推送", catalog.LimitWorkingDays, 3, "三个工作日内"},
		{"每周一八点三小时内推送", catalog.LimitHours, 3, "三小时内"},
	})
	businessAccepts(t, "12小时至一点五天内推送")
}
