package catalog_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
)

// TestReadTimeLimitHalfDayWeekHour: half a day, a week or an hour, alone or
// after the number (半天内, 一天半内, 半周内, 1周半内, 半小时内, 1个半小时内), is
// read as half the unit in the unit below it that a limit has, rounded
// down, as half a month is 14 days and half a year 182: half a day is 12
// hours (a limit in days is whole days), 一天半 36 hours; half a week is 3
// days (3.5, rounded down, as the shortest reading of a month is), 1周半
// 10; a limit has no unit below the hour, and a part of one counts whole
// (半小时 is 1 hour, 1个半小时 2): N is only compared with the rule's 48
// hours, which a part of an hour more exceeds. N个半天 may be N half days or N and a half days: it
// is read as half a day, the stricter. Until 2026-12-05 none of them stated a limit, and
// a licence could promise them unchecked. A half after 上, 下 or 前, or
// after a day's, a week's, a month's or a year's 后, is a time of the
// calendar (上半天内, 每周后半周内), after 近 the data's span, not limits; 0
// and a half (0天半内) is none, as 0个半月内 is.
func TestReadTimeLimitHalfDayWeekHour(t *testing.T) {
	readsAs(t, []limitRead{
		{"半天内", catalog.LimitHours, 12, "半天内"},
		{"办结后半日内更新", catalog.LimitHours, 12, "半日内"},
		{"半个自然日以内", catalog.LimitHours, 12, "半个自然日以内"},
		{"一天半内", catalog.LimitHours, 36, "一天半内"},
		{"两个半天之内", catalog.LimitHours, 12, "半天之内"},
		{"两天半内", catalog.LimitHours, 60, "两天半内"},
		{"一万天半内", catalog.LimitHours, 87840, "一万天半内"},
		{"半周内", catalog.LimitDays, 3, "半周内"},
		{"半个星期内", catalog.LimitDays, 3, "半个星期内"},
		{"1周半内", catalog.LimitDays, 10, "1周半内"},
		{"一个半星期以内", catalog.LimitDays, 10, "一个半星期以内"},
		{"半小时内", catalog.LimitHours, 1, "半小时内"},
		{"半个小时内推送", catalog.LimitHours, 1, "半个小时内"},
		{"1个半小时内", catalog.LimitHours, 2, "1个半小时内"},
		{"两个半小时内", catalog.LimitHours, 3, "两个半小时内"},
		{"两小时半内", catalog.LimitHours, 3, "两小时半内"},
		{"实时推送，最迟半天内", catalog.LimitHours, 12, "半天内"},
		{"0天半内", "", 0, ""},
		{"上半天内完成", "", 0, ""},
		{"当日下半天内报送", "", 0, ""},
		{"每周后半周内报送", "", 0, ""},
		{"每周前半周内报送", "", 0, ""},
		{"近半天内数据，2个工作日内更新", catalog.LimitWorkingDays, 2, "2个工作日内"},
	})
	refusedForLicence(t, "半周内", "1周半内", "两天半内")
	licenceExceeds(t, "半天内", "一天半内", "半小时内", "1个半小时内")
}
