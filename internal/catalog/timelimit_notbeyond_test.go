package catalog_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
)

// TestReadTimeLimitNotBeyond: a duration after 不超过 (not beyond), or
// another word bounding it from above (不超出, 不多于, 不晚于, 不迟于, 不得超过,
// 最长, 至多), states the limit 内 would (不超过3天 as 3天内): until 2026-12-05
// days, weeks, hours, months and years needed 内, 之内 or 以内, so that
// 至迟不超过48小时 and 数据产生后不超过3天推送 stated no limit and a licence could
// promise them unchecked (working days never needed it: 不超过3个工作日 read
// as 3). Without such a word a bare duration still states none: 7×24小时 is
// a service's hours, 每月3日 a day of the month; nor is 超过 alone a bound,
// nor a year of four digits after it (不超过2025年) a duration.
func TestReadTimeLimitNotBeyond(t *testing.T) {
	readsAs(t, []limitRead{
		{"至迟不超过48小时", catalog.LimitHours, 48, "48小时"},
		{"数据产生后不超过3天推送", catalog.LimitDays, 3, "3天"},
		{"不得超过24小时", catalog.LimitHours, 24, "24小时"},
		{"最长不超过5日", catalog.LimitDays, 5, "5日"},
		{"不晚于1周", catalog.LimitDays, 7, "1周"},
		{"不超过1个月", catalog.LimitDays, 28, "1个月"},
		{"至多2年", catalog.LimitDays, 730, "2年"},
		{"不超过半天", catalog.LimitHours, 12, "半天"},
		{"不超过3个工作日", catalog.LimitWorkingDays, 3, "3个工作日"},
		{"不晚于2个工作日", catalog.LimitWorkingDays, 2, "2个工作日"},
		{"实时推送，最迟不超过3天", catalog.LimitDays, 3, "3天"},
		{"7×24小时服务，2个工作日内更新", catalog.LimitWorkingDays, 2, "2个工作日内"},
		{"48小时", "", 0, ""},
		{"超过48小时未推送的计为迟报", "", 0, ""},
		{"不超过2025年", "", 0, ""},
		{"每月3日更新", "", 0, ""},
	})
	refusedForLicence(t, "至迟不超过72小时", "数据产生后不超过3天推送", "不超过1个月")
	licenceRefuses(t, "至迟不超过48小时")
}
