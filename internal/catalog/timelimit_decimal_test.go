package catalog_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
)

// TestReadTimeLimitDecimals: a limit with a decimal number of units
// (1.5个月内, 0.5天内, 2.5个工作日内) is read as that part of the unit, as
// half of one is (TestReadTimeLimitHalfDayWeekHour): in the unit below
// where the limit has one, rounded down (1.5个月 42 days, 1.25年 456, 0.5周
// 3, 0.5天 12 hours, 2.5天 60), or, of a working day or an hour, which have
// none, as a whole one more (2.5个工作日 3, 1.5个工作日 2, 48.5小时 49), so
// that a limit beyond the rule's 2 working days or 48 hours by a part is
// not read within them. Until 2026-12-05 the number after the point was
// read alone, so that 2.5个工作日内 was 5 working days, 0.5天内 5 days and
// 1.5个月内 5 months; 1.5个工作日内 was refused for business data, which
// it is within the rule for. Full-width digits and point are narrowed. A
// decimal day of the month (每月1.5日前), or a number of none (0.0天内),
// states no limit.
func TestReadTimeLimitDecimals(t *testing.T) {
	readsAs(t, []limitRead{
		{"1.5个月内", catalog.LimitDays, 42, "1.5个月内"},
		{"1.25年内", catalog.LimitDays, 456, "1.25年内"},
		{"0.5周内", catalog.LimitDays, 3, "0.5周内"},
		{"0.5天内", catalog.LimitHours, 12, "0.5天内"},
		{"办结后2.5天内更新", catalog.LimitHours, 60, "2.5天内"},
		{"3.0天内", catalog.LimitDays, 3, "3.0天内"},
		{"2.5个工作日内", catalog.LimitWorkingDays, 3, "2.5个工作日内"},
		{"1.5个工作日内报送", catalog.LimitWorkingDays, 2, "1.5个工作日内"},
		{"0.5个工作日内", catalog.LimitWorkingDays, 1, "0.5个工作日内"},
		{"48.5小时内", catalog.LimitHours, 49, "48.5小时内"},
		{"1.5小时内", catalog.LimitHours, 2, "1.5小时内"},
		{"１．５个月内", catalog.LimitDays, 42, "1.5个月内"},
		{"9999999999.99999999999天内", catalog.LimitHours, 87840, "9999999999.99999999999天内"},
		{"实时推送，最迟1.5个工作日内", catalog.LimitWorkingDays, 2, "1.5个工作日内"},
		{"实时推送，最迟0.5天内", catalog.LimitHours, 12, "0.5天内"},
		{"0.0天内", "", 0, ""},
		{"每月1.5日前", "", 0, ""},
	})
	refusedForLicence(t, "1.5个月内", "2.5个工作日内", "2.5天内", "48.5小时内", "0.5周内")
	businessAccepts(t, "0.5天内", "1.5个工作日内", "1.5小时内")
}
