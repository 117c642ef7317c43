package catalog_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
)

// TestReadTimeLimitPartWorkingDayLicence: a part of one working day
// alone (半个工作日内, 0.5个工作日内, 零点五个工作日内), alone or beside 实时
// after 最迟, is within the real time a licence follows
// (TimeLimit.WithinRealTime), shorter than the working day it reaches,
// and is accepted for a licence as for business data; it still reads as
// 1 working day with Part. A working day or more (1个工作日内,
// 一个半工作日内) is refused for a licence, and so is a text whose bound
// after 最迟 is a whole working day beside a half. From 2026-12-06 until
// this change a half counted as a whole working day for a licence too, and
// 实时推送，最迟半个工作日内, 半个工作日内推送 and 产生后半个工作日内推送 were
// refused (timeliness_exceeds_rule) as promising more than real time.
func TestReadTimeLimitPartWorkingDayLicence(t *testing.T) {
	readsAs(t, []limitRead{
		{"实时推送，最迟半个工作日内", catalog.LimitWorkingDays, 1, "半个工作日内"},
		{"产生后半个工作日内推送", catalog.LimitWorkingDays, 1, "半个工作日内"},
		{"半个工作日内更新，最迟1个工作日内", catalog.LimitWorkingDays, 1, "1个工作日内"},
	})
	for _, tt := range []struct {
		text   string
		within bool
	}{
		{"实时推送，最迟半个工作日内", true},
		{"半个工作日内推送", true},
		{"产生后半个工作日内推送", true},
		{"0.5个工作日内推送", true},
		{"零点五个工作日内推送", true},
		{"办结后半工作日内更新", true},
		{"1个工作日内推送", false},
		{"一个半工作日内推送", false},
		{"1.5个工作日内推送", false},
		{"半个工作日内更新，最迟1个工作日内", false},
		{"实时推送，最迟1个工作日内", false},
	} {
		l, ok := catalog.ReadTimeLimit(tt.text)
		if !ok || l.WithinRealTime() != tt.within {
			t.Errorf("ReadTimeLimit(%q) = %+v, %v: WithinRealTime %v, want %v", tt.text, l, ok, l.WithinRealTime(), tt.within)
		}
		r := household()
		r.Name, r.Timeliness = "枪支持有许可证信息", tt.text
		errs := catalog.ValidateEntry(r)
		if tt.within && len(errs) != 0 {
			t.Errorf("licence, %q: errors %v, want none", tt.text, errs)
		}
		if !tt.within && (len(errs) != 1 || errs[0].Code != "timeliness_exceeds_rule") {
			t.Errorf("licence, %q: errors %v, want timeliness_exceeds_rule", tt.text, errs)
		}
		r.Name = "户籍人口基本信息"
		if errs := catalog.ValidateEntry(r); len(errs) != 0 {
			t.Errorf("business data, %q: errors %v, want none", tt.text, errs)
		}
	}
}

// TestReadTimeLimitOrdinalPoint: a number with 点 after 第 numbers a point
// of the text (第一点, 第1点: point one) and the number after 点 is the
// limit: 第一点五天内 is 5 days, 第一点五个工作日内 5 working days (refused).
// A time of the day before a decimal in Chinese numerals makes it a time
// of the day, as digits with 点 are (TestReadTimeLimitClockChinese):
// 下午三点五天内 is 5 days. From 2026-12-06 until this change
// 第一点五天内 read as a decimal, 36 hours. A bare 九点三天内 stays a
// decimal, 9.3 days (223 hours): nothing says it is nine o'clock.
func TestReadTimeLimitOrdinalPoint(t *testing.T) {
	readsAs(t, []limitRead{
		{"第一点五天内", catalog.LimitDays, 5, "五天内"},
		{"第一点五天内推送", catalog.LimitDays, 5, "五天内"},
		{"第1点5天内", catalog.LimitDays, 5, "5天内"},
		{"第二点五个工作日内", catalog.LimitWorkingDays, 5, "五个工作日内"},
		{"第一点两小时内", catalog.LimitHours, 2, "两小时内"},
		{"下午三点五天内办结", catalog.LimitDays, 5, "五天内"},
		{"每日一点一小时内推送", catalog.LimitHours, 1, "一小时内"},
		{"当天三点五小时内", catalog.LimitHours, 5, "五小时内"},
		{"九点三天内", catalog.LimitHours, 223, "九点三天内"},
	})
	refusedForLicence(t, "第一点五天内", "第二点五个工作日内")
}
