package catalog_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
)

// TestReadTimeLimitCadenceOverflow: a cadence of more days than an int
// holds (每99999999999999999999天) is a cadence longer than a day, as
// 每30天 is, beside which 当日 states no limit; until 2026-12-05
// text.ChineseNumber read the number 0, a cadence of no day, daily, and
// the text read as real time. The limits with such numbers still count as
// the longest limit (maxLimitDays).
func TestReadTimeLimitCadenceOverflow(t *testing.T) {
	readsAs(t, []limitRead{
		{"每30天更新，当日推送", "", 0, ""},
		{"每99999999999999999999天更新，当日推送", "", 0, ""},
		{"每99999999999999999999日更新一次，当天报送", "", 0, ""},
		{"每9223372036854775808天更新，次日推送", "", 0, ""},
		{"每一天更新，当日推送", catalog.LimitRealTime, 0, "当日"},
		{"99999999999999999999个工作日内", catalog.LimitWorkingDays, 3660, "99999999999999999999个工作日内"},
		{"99999999999999999999万日内", catalog.LimitDays, 3660, "99999999999999999999万日内"},
		{"99999999999999999999万十日内", "", 0, ""},
	})
}
