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
		{"次日内", catalog.LimitRealTime},
		{"次日更新", catalog.LimitRealTime},
		{"数据产生后次日之前推送。", catalog.LimitRealTime},
		{"次日凌晨汇总上一日数据，每周更新一次", ""},
		{"半年更新一次，以当天为准", ""},
		{"以当天为准", ""},
		{"每月汇总，次日报送", ""},
		{"当日产生的数据按月汇总", ""},
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
