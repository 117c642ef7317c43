package catalog_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
)

// TestReadTimeLimitValidityNotLimit: a duration after a word bounding it
// (不超过, 至多, 最长: notBeyond) with no 内 is a delivery limit only where
// its clause is about the delivery. A validity or a retention period
// (有效期, 保存, 保留, …) before it is no limit at all, and a bound whose
// clause names no delivery (no verb of delivery, no 最迟) counts only in a
// text stating no other limit, as 当日 does: it does not override a clause
// that states one. From c326413 until this change 许可有效期至多3年，当日推送
// read as 1095 days and was refused for a licence and business data,
// 证照有效期不超过3年，发证后2个工作日内推送 stated several limits and was
// not checked for a licence, and 实时推送，不超过3天 was none; they read
// again as before that change, while the bounds c326413 reads still count.
// Since 2026-12-06 real time beside a bound is the aim and the bound counts
// (TestReadTimeLimitRealTimeAim): 实时推送，不超过3天 and 实时推送，3天内 are
// 3 days, refused for a licence and business data, where the first was
// real time and the second none.
func TestReadTimeLimitValidityNotLimit(t *testing.T) {
	readsAs(t, []limitRead{
		{"许可有效期至多3年，当日推送", catalog.LimitRealTime, 0, "当日"},
		{"保存期限不超过30天，当日推送", catalog.LimitRealTime, 0, "当日"},
		{"保存不超过3年，当日推送", catalog.LimitRealTime, 0, "当日"},
		{"证照有效期不超过3年，发证后2个工作日内推送", catalog.LimitWorkingDays, 2, "2个工作日内"},
		{"有效期不超过5年，实时推送", catalog.LimitRealTime, 0, "实时"},
		{"有效期最长5年，签发后实时推送", catalog.LimitRealTime, 0, "实时"},
		{"数据保留不超过6个月，2个工作日内推送", catalog.LimitWorkingDays, 2, "2个工作日内"},
		{"实时推送，不超过3天", catalog.LimitDays, 3, "3天"},
		{"有效期不超过5年的证照实时推送", catalog.LimitRealTime, 0, "实时"},
		{"有效期不超过5年", "", 0, ""},
		{"留存不超过30天", "", 0, ""},
		// c326413's readings hold.
		{"至迟不超过48小时", catalog.LimitHours, 48, "48小时"},
		{"数据产生后不超过3天推送", catalog.LimitDays, 3, "3天"},
		{"不得超过24小时", catalog.LimitHours, 24, "24小时"},
		{"不超过1个月", catalog.LimitDays, 28, "1个月"},
		{"推送期限不超过3天", catalog.LimitDays, 3, "3天"},
		{"不超过3天，推送至共享平台", catalog.LimitDays, 3, "3天"},
		{"实时推送，最迟不超过3天", catalog.LimitDays, 3, "3天"},
		{"2个工作日内推送，最迟不超过5天", catalog.LimitDays, 5, "5天"},
		{"实时推送，3天内", catalog.LimitDays, 3, "3天内"},
		// A keeping word followed by 后 is where the delivery's time starts.
		{"保存后不超过3天推送", catalog.LimitDays, 3, "3天"},
		{"数据归档后不超过3天推送", catalog.LimitDays, 3, "3天"},
		{"存档后至多3天推送", catalog.LimitDays, 3, "3天"},
		{"有效期变更后不超过3天推送", catalog.LimitDays, 3, "3天"},
	})
	acceptedForBoth(t, "许可有效期至多3年，当日推送", "保存期限不超过30天，当日推送", "保存不超过3年，当日推送",
		"有效期不超过5年，实时推送", "有效期最长5年，签发后实时推送")
	licenceExceeds(t, "证照有效期不超过3年，发证后2个工作日内推送", "数据保留不超过6个月，2个工作日内推送")
	refusedForLicence(t, "实时推送，不超过3天", "数据产生后不超过3天推送", "不超过3天，推送至共享平台", "保存后不超过3天推送", "有效期变更后不超过3天推送")
}
