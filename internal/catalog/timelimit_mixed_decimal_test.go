package catalog_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
)

// TestReadTimeLimitMixedDecimal: a decimal with 点 in digits on one side
// and Chinese numerals on the other (1点五, 一点5) right before 天 or 日 is
// a decimal, as 一点五天内 is: 1点五天内 is 36 hours. Until this change the
// number after 点 was the limit (5 days, refused for business data, where
// 36 hours passes). After a time of the day (clockTime) or 第 (ordinal)
// it is no decimal, as a Chinese one is not.
func TestReadTimeLimitMixedDecimal(t *testing.T) {
	readsAs(t, []limitRead{
		{"1点五天内", catalog.LimitHours, 36, "1点五天内"},
		{"一点5天内", catalog.LimitHours, 36, "一点5天内"},
		{"办结后1点五天内推送", catalog.LimitHours, 36, "1点五天内"},
		{"1点五日内更新", catalog.LimitHours, 36, "1点五日内"},
		{"不超过1点五天", catalog.LimitHours, 36, "1点五天"},
	})
	r := household()
	r.Name, r.Timeliness = "户籍人口基本信息", "1点五天内推送"
	if errs := catalog.ValidateEntry(r); len(errs) != 0 {
		t.Errorf("business data, %q: errors %v, want none", r.Timeliness, errs)
	}
}

// TestReadTimeLimitMixedDecimalHeld: what reads as before. Digits on both
// sides of 点 are a time of the day (1点5天内 5 days, the owner's decision
// in c72c293); a mixed number before another unit than 天 or 日 (个工作日,
// 小时, 个月, 周), or with 个 between, is one too, the number after 点 the
// limit; so is one after a time of the day or 第; a bare Chinese
// decimal stays one (九点三天内 9.3 days, documented).
func TestReadTimeLimitMixedDecimalHeld(t *testing.T) {
	readsAs(t, []limitRead{
		{"1点5天内", catalog.LimitDays, 5, "5天内"},
		{"截至每晚8点1个工作日内推送", catalog.LimitWorkingDays, 1, "1个工作日内"},
		{"截至每晚8点一个工作日内推送", catalog.LimitWorkingDays, 1, "一个工作日内"},
		{"17点三个工作日内推送", catalog.LimitWorkingDays, 3, "三个工作日内"},
		{"1点五小时内", catalog.LimitHours, 5, "五小时内"},
		{"8点一小时内推送", catalog.LimitHours, 1, "一小时内"},
		{"1点五个月内", catalog.LimitDays, 140, "五个月内"},
		{"1点五周内", catalog.LimitDays, 35, "五周内"},
		{"1点五个天内", catalog.LimitDays, 5, "五个天内"},
		{"每晚8点三天内办结", catalog.LimitDays, 3, "三天内"},
		{"下午1点五天内办结", catalog.LimitDays, 5, "五天内"},
		{"当日8点三小时内推送", catalog.LimitHours, 3, "三小时内"},
		{"第1点五天内", catalog.LimitDays, 5, "五天内"},
		{"每周五17点三天内推送", catalog.LimitDays, 3, "三天内"},
		{"九点三天内", catalog.LimitHours, 223, "九点三天内"},
		{"一点五天内", catalog.LimitHours, 36, "一点五天内"},
		{"1.5天内", catalog.LimitHours, 36, "1.5天内"},
	})
}
