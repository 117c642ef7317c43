package catalog_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
)

// TestReadTimeLimitPartWorkingDayNextDay: a part of one working day
// beside 次日 is a target beside a latest bound, as 当日 is
// (当日更新，最迟次日推送): the bound, the next day, laxer, counts, and the
// text is refused for a licence as it promises the next day. From
// 6c5db77 (2026-12-06) until this change the half was kept as the laxer
// (bound put it at the 72 hours of a working day, beyond 次日's 24) and,
// within a licence's real time, accepted. A half alone, or beside 当日,
// stays the half, and 1个工作日内 beside 次日 stays several limits.
func TestReadTimeLimitPartWorkingDayNextDay(t *testing.T) {
	readsAs(t, []limitRead{
		{"半个工作日内推送，最迟次日推送", catalog.LimitDays, 1, "次日"},
		{"半个工作日内更新，次日推送", catalog.LimitDays, 1, "次日"},
		{"半个工作日内或次日更新", catalog.LimitDays, 1, "次日"},
		{"0.5个工作日内更新，最迟次日推送", catalog.LimitDays, 1, "次日"},
		{"半个工作日内推送，最迟次日前推送", catalog.LimitWorkingDays, 1, "半个工作日内"},
		{"半个工作日内推送", catalog.LimitWorkingDays, 1, "半个工作日内"},
		{"半个工作日内推送，当日完成", catalog.LimitWorkingDays, 1, "半个工作日内"},
		{"当日更新，最迟次日推送", catalog.LimitDays, 1, "次日"},
	})
	licenceExceeds(t, "半个工作日内推送，最迟次日推送", "半个工作日内更新，次日推送", "半个工作日内或次日更新")
}
