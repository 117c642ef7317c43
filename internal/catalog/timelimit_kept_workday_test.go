package catalog_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
)

// TestReadTimeLimitKeptWorkingDays: a bound in working days without 内
// after a word bounding it (不超过, 至多: notBeyond) is no limit after a
// word of keeping or validity in its clause (保存, 有效期: kept), as one in
// days, weeks, hours, months or years is
// (TestReadTimeLimitValidityNotLimit); a 后 after the word makes it where
// the delivery's time starts, and the bound the delivery's. Until
// 2026-12-06 保存不超过3个工作日 read as 3 working days: a licence promising
// 当日 beside a validity of 3 working days was refused, and beside a
// delivery in 2 working days stated two limits and was not checked.
func TestReadTimeLimitKeptWorkingDays(t *testing.T) {
	readsAs(t, []limitRead{
		{"保存不超过3个工作日", "", 0, ""},
		{"保存不超过3个工作日，当日推送", catalog.LimitRealTime, 0, "当日"},
		{"许可有效期至多3个工作日，当日推送", catalog.LimitRealTime, 0, "当日"},
		{"有效期不超过5个工作日，实时推送", catalog.LimitRealTime, 0, "实时"},
		{"证照有效期至多3个工作日，发证后2个工作日内推送", catalog.LimitWorkingDays, 2, "2个工作日内"},
		{"数据留存不超过两个半工作日，1个工作日内推送", catalog.LimitWorkingDays, 1, "1个工作日内"},
	})
	for _, text := range []string{"保存不超过3个工作日，当日推送", "许可有效期至多3个工作日，当日推送", "有效期不超过5个工作日，实时推送"} {
		for _, name := range []string{"枪支持有许可证信息", "户籍人口基本信息"} {
			r := household()
			r.Name, r.Timeliness = name, text
			if errs := catalog.ValidateEntry(r); len(errs) != 0 {
				t.Errorf("%s, %q: errors %v, want none", name, text, errs)
			}
		}
	}
	r := household()
	r.Name, r.Timeliness = "枪支持有许可证信息", "证照有效期至多3个工作日，发证后2个工作日内推送"
	if errs := catalog.ValidateEntry(r); len(errs) != 1 || errs[0].Code != "timeliness_exceeds_rule" {
		t.Errorf("licence, %q: errors %v, want timeliness_exceeds_rule", r.Timeliness, errs)
	}
}

// TestReadTimeLimitKeptWorkingDaysHeld: what the changes to kept working
// days and to decimals with 点 leave as it was, each row read so before
// them too: a keeping word followed by 后 is where the delivery's time
// starts (保存后不超过3个工作日推送 is 3 working days), a bound with 内 counts
// after a keeping word, as 保存3天内推送 does, a bound without a keeping
// word counts, and a time of the day (8点30分) is no decimal.
func TestReadTimeLimitKeptWorkingDaysHeld(t *testing.T) {
	readsAs(t, []limitRead{
		{"保存后不超过3个工作日推送", catalog.LimitWorkingDays, 3, "3个工作日"},
		{"数据归档后至多3个工作日推送", catalog.LimitWorkingDays, 3, "3个工作日"},
		{"有效期变更后不超过3个工作日推送", catalog.LimitWorkingDays, 3, "3个工作日"},
		{"保存后3个工作日内推送", catalog.LimitWorkingDays, 3, "3个工作日内"},
		{"推送期限不超过3个工作日", catalog.LimitWorkingDays, 3, "3个工作日"},
		{"不超过3个工作日", catalog.LimitWorkingDays, 3, "3个工作日"},
		{"有效期不超过5年，3个工作日内推送", catalog.LimitWorkingDays, 3, "3个工作日内"},
		{"当日8点30分前推送", catalog.LimitRealTime, 0, "当日"},
		{"每日8点30分前推送，2个工作日内", catalog.LimitWorkingDays, 2, "2个工作日内"},
		{"当日十七点三十分前推送", catalog.LimitRealTime, 0, "当日"},
	})
	refusedForLicence(t, "保存后不超过3个工作日推送", "有效期变更后不超过3个工作日推送")
}

// TestReadTimeLimitDigitDecimals: a decimal written with 点 between
// digits, or a digit and a Chinese numeral, right before a unit of
// duration (1点5天内, 1点5个工作日内, 2点5小时内, 1点五天内) is read as
// 1.5天内 is, where no time of the day comes before it (a day, 当日, 次日,
// 5号, or a part of the day, 下午): there the number is a time of the day
// (当日8点2小时内推送) and no limit is read from it. Until 2026-12-06 the
// number after 点 was read alone: 1点5天内 was 5 days, refused for
// business data, and 当日8点2小时内推送 2 hours.
func TestReadTimeLimitDigitDecimals(t *testing.T) {
	readsAs(t, []limitRead{
		{"1点5天内", catalog.LimitHours, 36, "1点5天内"},
		{"办结后1点5天内推送", catalog.LimitHours, 36, "1点5天内"},
		{"不超过1点5天", catalog.LimitHours, 36, "1点5天"},
		{"1点5个工作日内", catalog.LimitWorkingDays, 2, "1点5个工作日内"},
		{"2点5个工作日内", catalog.LimitWorkingDays, 3, "2点5个工作日内"},
		{"2点5小时内", catalog.LimitHours, 3, "2点5小时内"},
		{"1点5个月内", catalog.LimitDays, 42, "1点5个月内"},
		{"1点五天内", catalog.LimitHours, 36, "1点五天内"},
		{"一点5天内", catalog.LimitHours, 36, "一点5天内"},
		{"0点5周内", catalog.LimitDays, 3, "0点5周内"},
		{"1点5个半月内", "", 0, ""},
		{"当日8点2小时内推送", "", 0, ""},
		{"次日8点5天内", "", 0, ""},
		{"每月5号8点2小时内", "", 0, ""},
		{"下午5点2小时内推送", "", 0, ""},
	})
	for _, text := range []string{"1点5天内", "办结后1点5天内推送", "1点5个工作日内"} {
		r := household()
		r.Name, r.Timeliness = "户籍人口基本信息", text
		if errs := catalog.ValidateEntry(r); len(errs) != 0 {
			t.Errorf("business data, %q: errors %v, want none", text, errs)
		}
	}
	refusedForLicence(t, "2点5个工作日内", "1点5个月内")
}
