package catalog_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
)

// TestReadTimeLimitDayOpening: 日 or 天 opening a clause is a daily cadence
// only with a cadence right after it (日更新一次, 天更新一次, 一日一次, 日一次),
// and the 一次 after it is then once a day; any other word opening with
// them (日报, 日均, 天津, 日程, 天然) makes the 一次 a cadence of its own,
// beside which 当日 states no limit. Until 2026-12-05 only a hand-kept
// list of such words was (日常, 日期, 天气, …), and 天津分局更新一次，当日推送,
// 日报更新一次，当日推送 and 日均数据更新一次，当日推送 read as real time.
func TestReadTimeLimitDayOpening(t *testing.T) {
	readsAs(t, []limitRead{
		{"天津分局更新一次，当日推送", "", 0, ""},
		{"日报更新一次，当日推送", "", 0, ""},
		{"日均数据更新一次，当日推送", "", 0, ""},
		{"日终批处理更新一次，当天报送", "", 0, ""},
		{"天然气数据更新一次，当日推送", "", 0, ""},
		{"日常更新一次，当日推送", "", 0, ""},
		{"日更新一次，当日推送", catalog.LimitRealTime, 0, "当日"},
		{"天更新一次，当日推送", catalog.LimitRealTime, 0, "当日"},
		{"一日一次，当日推送", catalog.LimitRealTime, 0, "当日"},
		{"一天一次，当天报送", catalog.LimitRealTime, 0, "当天"},
		{"日一次，当日推送", catalog.LimitRealTime, 0, "当日"},
		{"日更新，更新一次，当日推送", "", 0, ""},
		{"日常每日更新一次，当日推送", catalog.LimitRealTime, 0, "当日"},
		{"日推送一次，当日推送", catalog.LimitRealTime, 0, "当日"},
		{"日同步一次，当日推送", catalog.LimitRealTime, 0, "当日"},
		{"日采集一次，当日推送", catalog.LimitRealTime, 0, "当日"},
		{"日汇总一次，当日推送", catalog.LimitRealTime, 0, "当日"},
		{"日更一次，当日推送", catalog.LimitRealTime, 0, "当日"},
		{"天同步一次，当天报送", catalog.LimitRealTime, 0, "当天"},
		{"天天更新一次，当天报送", catalog.LimitRealTime, 0, "当天"},
		{"日日推送一次，当日推送", catalog.LimitRealTime, 0, "当日"},
		{"日报一次，当日推送", "", 0, ""},
	})
}
