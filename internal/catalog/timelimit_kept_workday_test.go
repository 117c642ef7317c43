package catalog_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
)

// TestReadTimeLimitKeptWorkingDays: a bound in working days without 内
// after a word bounding it (不超过, 至多: notBeyond) is no limit after a
// word of keeping or validity in its clause (保存, 有效期: kept), as one in
// days, weeks, hours, months or years is
// (TestReadTimeLimitValidityNotLimit); a 后 after the word makes it where
// the delivery's time starts, and the bound the delivery's. Until
// 2026-12-06 保存不超过3个工作日 read as 3 working days: a licence promising
// 当日 beside a validity of 3 working days was refused, and beside a
// delivery in 2 working days stated two limits and was not checked.
func TestReadTimeLimitKeptWorkingDays(t *testing.T) {
	readsAs(t, []limitRead{
		{"保存不超过3个工作日", "", 0, ""},
		{"保存不超过3个工作日，当日推送", catalog.LimitRealTime, 0, "当日"},
		{"许可有效期至多3个工作日，当日推送", catalog.LimitRealTime, 0, "当日"},
		{"有效期不超过5个工作日，实时推送", catalog.LimitRealTime, 0, "实时"},
		{"证照有效期至多3个工作日，发证后2个工作日内推送", catalog.LimitWorkingDays, 2, "2个工作日内"},
		{"数据留存不超过两个半工作日，1个工作日内推送", catalog.LimitWorkingDays, 1, "1个工作日内"},
	})
	acceptedForBoth(t, "保存不超过3个工作日，当日推送", "许可有效期至多3个工作日，当日推送", "有效期不超过5个工作日，实时推送")
	licenceRefuses(t, "证照有效期至多3个工作日，发证后2个工作日内推送")
}

// TestReadTimeLimitKeptWorkingDaysHeld: what the changes to kept working
// days and to decimals with 点 leave as it was, each row read so before
// them too: a keeping word followed by 后 is where the delivery's time
// starts (保存后不超过3个工作日推送 is 3 working days), a bound with 内 counts
// after a keeping word, as 保存3天内推送 does, a bound without a keeping
// word counts, and a time of the day (8点30分) is no decimal.
func TestReadTimeLimitKeptWorkingDaysHeld(t *testing.T) {
	readsAs(t, []limitRead{
		{"保存后不超过3个工作日推送", catalog.LimitWorkingDays, 3, "3个工作日"},
		{"数据归档后至多3个工作日推送", catalog.LimitWorkingDays, 3, "3个工作日"},
		{"有效期变更后不超过3个工作日推送", catalog.LimitWorkingDays, 3, "3个工作日"},
		{"保存后3个工作日内推送", catalog.LimitWorkingDays, 3, "3个工作日内"},
		{"推送期限不超过3个工作日", catalog.LimitWorkingDays, 3, "3个工作日"},
		{"不超过3个工作日", catalog.LimitWorkingDays, 3, "3个工作日"},
		{"有效期不超过5年，3个工作日内推送", catalog.LimitWorkingDays, 3, "3个工作日内"},
		{"当日8点30分前推送", catalog.LimitRealTime, 0, "当日"},
		{"每日8点30分前推送，2个工作日内", catalog.LimitWorkingDays, 2, "2个工作日内"},
		{"当日十七点三十分前推送", catalog.LimitRealTime, 0, "当日"},
	})
	refusedForLicence(t, "保存后不超过3个工作日推送", "有效期变更后不超过3个工作日推送")
}

// TestReadTimeLimitDigitDecimals: digits around 点 (8点2小时内, 1点5天内,
// and mixed 1点五天内, 一点5天内, 1点五小时内) are a time of the day, far
// more common in hand-written catalogs than a decimal written with 点
// (TestReadTimeLimitClockBeforeDayCount): the number after
// 点 is the limit (1点5天内 5 days), as 当日8点2小时内推送 is 2 hours; a
// decimal is written 1.5天内. From 2026-12-06 until this change such
// digits were a decimal unless a day or a part of the day came before
// them (clockBefore), and so 截至每晚8点1个工作日内推送 read as 9 working
// days, 夜里12点1天内推送 as 290 hours, 17点3个工作日内推送 as 18 working
// days, 9点至17点2小时内推送 as 18 hours, 早8点2小时内 as 9 hours (all
// refused for business data), and 每周一8点2小时内推送,
// 每周五17点3个工作日内推送 and 当日8点2小时内推送 stated no limit.
func TestReadTimeLimitDigitDecimals(t *testing.T) {
	readsAs(t, []limitRead{
		{"截至每晚8点1个工作日内推送", catalog.LimitWorkingDays, 1, "1个工作日内"},
		{"夜里12点1天内推送", catalog.LimitDays, 1, "1天内"},
		{"17点3个工作日内推送", catalog.LimitWorkingDays, 3, "3个工作日内"},
		{"9点至17点2小时内推送", catalog.LimitHours, 2, "2小时内"},
		{"早8点2小时内", catalog.LimitHours, 2, "2小时内"},
		{"每周一8点2小时内推送", catalog.LimitHours, 2, "2小时内"},
		{"每周五17点3个工作日内推送", catalog.LimitWorkingDays, 3, "3个工作日内"},
		{"当日8点2小时内推送", catalog.LimitHours, 2, "2小时内"},
		{"次日8点5天内", catalog.LimitDays, 5, "5天内"},
		{"每月5号8点2小时内", catalog.LimitHours, 2, "2小时内"},
		{"下午5点2小时内推送", catalog.LimitHours, 2, "2小时内"},
		{"1点5天内", catalog.LimitDays, 5, "5天内"},
		{"办结后1点5天内推送", catalog.LimitDays, 5, "5天内"},
		{"1点5个工作日内", catalog.LimitWorkingDays, 5, "5个工作日内"},
		{"2点5小时内", catalog.LimitHours, 5, "5小时内"},
		{"1点5个月内", catalog.LimitDays, 140, "5个月内"},
		{"1点五天内", catalog.LimitDays, 5, "五天内"},
		{"一点5天内", catalog.LimitDays, 5, "5天内"},
		{"1点五小时内", catalog.LimitHours, 5, "五小时内"},
		{"一点5个工作日内", catalog.LimitWorkingDays, 5, "5个工作日内"},
		{"1.5天内", catalog.LimitHours, 36, "1.5天内"},
	})
	businessAccepts(t, "截至每晚8点1个工作日内推送", "夜里12点1天内推送", "9点至17点2小时内推送", "早8点2小时内",
		"当日8点2小时内推送", "1.5天内")
	refusedForLicence(t, "17点3个工作日内推送", "1点5天内", "1点5个工作日内")
}
