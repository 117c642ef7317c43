package catalog_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
)

// TestReadTimeLimitLatest: of several limits, the one after 最迟 (at the
// latest), the laxest, is the bound the provider promises and counts, as
// the laxer of a same day and a next day does; until 2026-12-05 such a
// text stated no limit and was not checked, so that a licence could
// promise 实时推送，最迟2个工作日内. Real time beside the bound is its aim
// (实时推送，最迟24小时内 is 24 hours: TestReadTimeLimitLatestBeyondRealTime).
// Where another limit is laxer, or several follow 最迟, or none does,
// which one counts cannot be told: none is read, as before. Real time
// beside a bound without 最迟 is its aim too since 2026-12-06
// (实时推送，2个工作日内, before none: TestReadTimeLimitRealTimeAim).
func TestReadTimeLimitLatest(t *testing.T) {
	readsAs(t, []limitRead{
		{"实时推送，最迟2个工作日内", catalog.LimitWorkingDays, 2, "2个工作日内"},
		{"2个工作日内报送，最迟5日内", catalog.LimitDays, 5, "5日内"},
		{"2个工作日内更新，最迟1个月内", catalog.LimitDays, 28, "1个月内"},
		{"实时推送，最迟不超过72小时内", catalog.LimitHours, 72, "72小时内"},
		{"实时推送，最迟24小时内", catalog.LimitHours, 24, "24小时内"},
		{"当日更新，最迟次日推送", catalog.LimitDays, 1, "次日"},
		{"5个工作日内报送，最迟2个工作日内", "", 0, ""},
		{"实时推送，最迟2个工作日内，最迟5日内", "", 0, ""},
		{"实时推送，2个工作日内", catalog.LimitWorkingDays, 2, "2个工作日内"},
		{"实时…2个工作日…每季度", "", 0, ""},
		{"实时推送，最晚2个工作日内", catalog.LimitWorkingDays, 2, "2个工作日内"},
		{"2个工作日内更新，至迟1个月内", catalog.LimitDays, 28, "1个月内"},
		{"实时推送，最晚2个工作日内，至迟5日内", "", 0, ""},
	})
	refusedForLicence(t, "实时推送，最迟5个工作日内", "2个工作日内更新，最迟1个月内")
	licenceRefuses(t, "实时推送，最迟2个工作日内", "2个工作日内报送，最迟5日内")
	businessAccepts(t, "实时推送，最迟2个工作日内")
}
