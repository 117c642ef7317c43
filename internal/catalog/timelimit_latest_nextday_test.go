package catalog_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
)

// TestReadTimeLimitLatestNextDayBesideRealTime: 次日 after 最迟 (最晚, 至迟)
// beside 实时 or 即时 is the bound the provider promises, as a bound in
// hours is (实时推送，最迟12小时内): 实时推送，最迟次日推送 is 1 day, as
// 当日更新，最迟次日推送 is, refused for a licence and within 2 working days
// for business data. Until this change 当日, 当天 and 次日 were read only
// in a text stating no other limit, so that beside 实时 the 次日 was never
// read and the text read as real time, accepted for a licence. Without
// 最迟 (实时推送，次日推送) the text stated two limits and was not checked,
// as 实时推送，12小时内 was; since 2026-12-06 real time beside a bound is the
// aim and both read as the bound, 1 day and 12 hours
// (TestReadTimeLimitRealTimeAim). 次日前 and 次日零时 beside 实时 are real
// time still, and so is a 次日 beside a cadence.
func TestReadTimeLimitLatestNextDayBesideRealTime(t *testing.T) {
	readsAs(t, []limitRead{
		{"实时推送，最迟次日推送", catalog.LimitDays, 1, "次日"},
		{"即时推送，最迟次日", catalog.LimitDays, 1, "次日"},
		{"实时推送，最迟次日8时前", catalog.LimitDays, 1, "次日8时"},
		{"实时更新，至迟次日12时前推送", catalog.LimitDays, 1, "次日12时"},
		{"次工作日前推送，最晚次日推送", catalog.LimitDays, 1, "次日"},
		{"实时推送，次日推送", catalog.LimitDays, 1, "次日"},
		{"即时更新，次日内推送", catalog.LimitDays, 1, "次日"},
		// Held: no other 次日 than real time, a cadence beside it, and
		// the neighbours it is read as.
		{"实时推送，最迟次日前推送", catalog.LimitRealTime, 0, "实时"},
		{"实时推送，最迟次日零时", catalog.LimitRealTime, 0, "实时"},
		{"实时推送，当日推送", catalog.LimitRealTime, 0, "实时"},
		{"实时采集，每周汇总一次，次日推送", catalog.LimitRealTime, 0, "实时"},
		{"实时推送", catalog.LimitRealTime, 0, "实时"},
		{"当日更新，最迟次日推送", catalog.LimitDays, 1, "次日"},
		{"实时推送，最迟12小时内", catalog.LimitHours, 12, "12小时内"},
		{"实时推送，12小时内", catalog.LimitHours, 12, "12小时内"},
		{"2个工作日内更新，最迟次日推送", catalog.LimitWorkingDays, 2, "2个工作日内"},
	})
	licenceExceeds(t, "实时推送，最迟次日推送", "即时推送，最迟次日", "实时推送，最迟次日8时前", "当日更新，最迟次日推送",
		"实时推送，次日推送")
	licenceAccepts(t, "实时推送，最迟次日前推送")
}
