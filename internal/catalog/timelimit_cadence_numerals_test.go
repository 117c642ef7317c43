package catalog_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
)

// TestReadTimeLimitCadenceNumerals: a cadence's number is any numeral
// text.ChineseNumber reads (text.NumeralChars), as a limit's is, so that
// 每廿天, 每卅天, 每千天, 每万天, 每3千天 and 每廿个月 are cadences longer than a
// day, beside which 当日 states no limit; until 2026-12-05 the cadence's
// class left out 千, 万, 廿 and 卅, and each of those texts read as real
// time. 每一天 stays daily, and 当日 beside it real time.
func TestReadTimeLimitCadenceNumerals(t *testing.T) {
	readsAs(t, []limitRead{
		{"每廿天更新，当日推送", "", 0, ""},
		{"每卅天更新，当日推送", "", 0, ""},
		{"每千天更新，当日推送", "", 0, ""},
		{"每万天更新，当日推送", "", 0, ""},
		{"每3千天更新，当日推送", "", 0, ""},
		{"每廿个月更新，当日推送", "", 0, ""},
		{"每一天更新，当日推送", catalog.LimitRealTime, 0, "当日"},
	})
}
