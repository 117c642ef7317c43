package catalog_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
)

// TestReadTimeLimitLatestBeyondRealTime: real time beside a bound after
// 最迟 (最晚, 至迟) is the aim, and the bound what the provider promises,
// however short: 实时推送，最迟12小时内 is 12 hours, as 12小时内 is, and a
// licence is refused for either (hours are not within its real time).
// Until this change real time counted as laxer than a bound in hours
// (bound: up to the next working day), which one counted could not be
// told, and such a text stated no limit and was not checked.
func TestReadTimeLimitLatestBeyondRealTime(t *testing.T) {
	readsAs(t, []limitRead{
		{"实时推送，最迟12小时内", catalog.LimitHours, 12, "12小时内"},
		{"实时推送，最迟24小时内", catalog.LimitHours, 24, "24小时内"},
		{"即时推送，最晚2小时内", catalog.LimitHours, 2, "2小时内"},
		{"次工作日前推送，至迟12小时内", catalog.LimitHours, 12, "12小时内"},
		{"实时推送，最迟不超过12小时", catalog.LimitHours, 12, "12小时"},
		// Held: a laxer limit beside the bound that is no real time
		// still leaves which counts untold; without 最迟 the bound counts
		// beside real time since 2026-12-06 (TestReadTimeLimitRealTimeAim;
		// before none).
		{"3天内推送，最迟12小时内", "", 0, ""},
		{"实时推送，12小时内", catalog.LimitHours, 12, "12小时内"},
		{"实时推送，最迟半个工作日内", catalog.LimitWorkingDays, 1, "半个工作日内"},
		{"实时推送，最迟2个工作日内", catalog.LimitWorkingDays, 2, "2个工作日内"},
	})
	licenceExceeds(t, "12小时内", "实时推送，最迟12小时内", "实时推送，最迟不超过12小时")
}
