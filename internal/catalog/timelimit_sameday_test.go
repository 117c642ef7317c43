package catalog_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
)

// TestReadTimeLimitSameDay: 当日, 当天 and 次日 state a limit (real time)
// only where they bound the delivery (当日更新, 次日前, 次日内) and the text
// states no cadence: 次日凌晨汇总上一日数据，每周更新一次 and 半年更新一次，以当天为准
// state a frequency, no limit, and read as none (the default rule), where
// they read as real time and a weekly entry's pushes counted as late
// after one working day.
func TestReadTimeLimitSameDay(t *testing.T) {
	for _, tt := range []struct {
		text string
		kind catalog.LimitKind // "" for none read
	}{
		{"当日", catalog.LimitRealTime},
		{"当日更新", catalog.LimitRealTime},
		{"当天报送", catalog.LimitRealTime},
		{"次日前", catalog.LimitRealTime},
		{"次日内", catalog.LimitDays},
		{"次日更新", catalog.LimitDays},
		{"数据产生后次日之前推送。", catalog.LimitRealTime},
		{"次日凌晨汇总上一日数据，每周更新一次", ""},
		{"半年更新一次，以当天为准", ""},
		{"以当天为准", ""},
		{"每月汇总，次日报送", ""},
		{"当日产生的数据按月汇总", ""},
		// A cadence word counts as a word, not inside another: 一次性 (once
		// and for all), 统一, 第一次, 按周期 and 每日 state no cadence
		// beside which the day is no limit, nor does 汇总 alone; 每两周,
		// 每3个月 and 每个月 do. A time of the day may stand between the
		// day and its 前. Until 2026-12-05 the six read here were not.
		{"一次性采集，当日报送", catalog.LimitRealTime},
		{"每日汇总，次日推送", catalog.LimitDays},
		{"当日12时前推送", catalog.LimitRealTime},
		{"按周期汇总，当天下午5点前报送", catalog.LimitRealTime},
		{"统一次日前报送，第一次报送须当日完成", catalog.LimitRealTime},
		{"每两周汇总一次，次日报送", ""},
		{"每3个月汇总，次日报送", ""},
		{"每个月汇总，次日报送", ""},
		{"每一次更新后当日报送", catalog.LimitRealTime},
		{"每一日汇总，当日报送", catalog.LimitRealTime},
		{"每隔一天汇总，次日报送", ""},
		{"每2天汇总，次日报送", ""},
		// 一次 after a daily cadence in its clause (每日一次, 每天更新一次,
		// 日更新一次) is that cadence, no longer than a day; in a clause
		// of its own, or after a longer cadence, it still is one. Until
		// 2026-12-05 any 一次 was.
		{"每日一次，当日更新", catalog.LimitRealTime},
		{"每天更新一次，当日推送", catalog.LimitRealTime},
		{"按日更新一次，当天报送", catalog.LimitRealTime},
		{"日更新一次，当日推送", catalog.LimitRealTime},
		{"一日一次，当日推送", catalog.LimitRealTime},
		{"每天更新一次，次日推送", catalog.LimitDays},
		{"每日汇总，更新一次，当日推送", ""},
		// A word opening the clause with 日 that is no cadence (日常
		// routinely, 日期 a date) makes no daily 一次: until 2026-12-05
		// these read as real time.
		{"日常更新一次，当日推送", ""},
		{"日期变更时更新一次，次日推送", ""},
		{"天气预警更新一次，当日推送", ""},
		{"日常每日更新一次，当日推送", catalog.LimitRealTime},
		{"天更新一次，当日推送", catalog.LimitRealTime},
		{"每日采集，每周更新一次，当日推送", ""},
		// Before the next day's midnight (0时, 零点, 00:00) or its small
		// hours (凌晨) is before the next day: real time, as 次日前. Other
		// times of the next day, a part of the day (上午, 中午) or a clock
		// time (8:30) included, are 1 day. A clock time may bound the same
		// day (17:30). Until 2026-12-05 the midnights read as 1 day and
		// parts of the day and clock times were not read.
		{"次日0时前推送", catalog.LimitRealTime},
		{"次日零点前", catalog.LimitRealTime},
		{"次日零时之前报送", catalog.LimitRealTime},
		{"次日00:00前", catalog.LimitRealTime},
		{"次日０：００前推送", catalog.LimitRealTime},
		{"次日凌晨前推送", catalog.LimitRealTime},
		{"次日凌晨3点前推送", catalog.LimitDays},
		{"次日0时30分前", catalog.LimitDays},
		{"次日上午前推送", catalog.LimitDays},
		{"次日中午前", catalog.LimitDays},
		{"次日8:30前推送", catalog.LimitDays},
		{"当日17:30前推送", catalog.LimitRealTime},
		{"当天下午前报送", catalog.LimitRealTime},
		// At the next day's midnight exactly, with no 前, is the same
		// deadline: real time (until 2026-12-05 1 day). Its small hours
		// (凌晨) or a later time are 1 day.
		{"次日0时推送", catalog.LimitRealTime},
		{"次日零时", catalog.LimitRealTime},
		{"次日零点推送", catalog.LimitRealTime},
		{"次日0:00更新", catalog.LimitRealTime},
		{"次日００：００推送", catalog.LimitRealTime},
		{"次日凌晨零时整推送", catalog.LimitRealTime},
		{"次日凌晨推送", catalog.LimitDays},
		{"次日凌晨3点推送", catalog.LimitDays},
		{"次日0时30分推送", catalog.LimitDays},
		{"次日0:30推送", catalog.LimitDays},
		// A postponing clause opened with 含 (including) is one too.
		{"当日（含遇节假日顺延）", catalog.LimitRealTime},
		{"当日更新（包括节假日顺延）", catalog.LimitRealTime},
	} {
		got, ok := catalog.ReadTimeLimit(tt.text)
		if tt.kind == "" {
			if ok {
				t.Errorf("ReadTimeLimit(%q) = %+v, want none", tt.text, got)
			}
			continue
		}
		if !ok || got.Kind != tt.kind {
			t.Errorf("ReadTimeLimit(%q) = %+v, %v; want %s", tt.text, got, ok, tt.kind)
		}
	}
}
