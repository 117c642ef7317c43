package catalog_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
)

// TestReadTimeLimitWorkingDaysAsOtherUnits: a number of working days
// without 内 reads as the other units' bounds do. After a word of keeping
// or validity in its clause it is no limit with or without a bounding word
// (有效期3个工作日，当日推送 is 当日, as 有效期3天，当日推送 is); until this
// change only a bound (保存不超过3个工作日) was, and the text read 3 working
// days, refused for a licence and business data. A bound (不超过, 至多 …) in
// a clause naming no delivery nor 最迟 counts only where the text states no
// other limit but real time (unbound), as one in days does since e0f154b:
// 2个工作日内推送，不超过3个工作日 is 2 working days. Beside real time the
// bound counts, real time its aim (TestReadTimeLimitRealTimeAim):
// 实时推送，不超过3个工作日 is 3 working days, as 实时推送，不超过3天 is 3
// days; until this change it stated two limits and was not checked, and
// from then until 2026-12-06 it read as real time.
func TestReadTimeLimitWorkingDaysAsOtherUnits(t *testing.T) {
	readsAs(t, []limitRead{
		{"有效期3个工作日，当日推送", catalog.LimitRealTime, 0, "当日"},
		{"许可有效期3个工作日，实时推送", catalog.LimitRealTime, 0, "实时"},
		{"数据保存3个工作日，1个工作日内推送", catalog.LimitWorkingDays, 1, "1个工作日内"},
		{"实时推送，不超过3个工作日", catalog.LimitWorkingDays, 3, "3个工作日"},
		{"即时推送，至多5个工作日", catalog.LimitWorkingDays, 5, "5个工作日"},
		{"2个工作日内推送，不超过3个工作日", catalog.LimitWorkingDays, 2, "2个工作日内"},
	})
	acceptedForBoth(t, "有效期3个工作日，当日推送")
	refusedForLicence(t, "实时推送，不超过3个工作日", "即时推送，至多5个工作日")
}

// TestReadTimeLimitWorkingDaysAsOtherUnitsHeld: the neighbours read as
// before: the other units' rows the working days now follow, a number of
// working days alone or naming the delivery, with 内 after a keeping word,
// after a keeping word and 后, or a bound after 最迟 or in a clause naming
// the delivery; beside real time the bound counts since 2026-12-06
// (实时推送，不超过3天, 实时推送，3个工作日, 实时推送，不超过3个工作日推送:
// real time, none and none before).
func TestReadTimeLimitWorkingDaysAsOtherUnitsHeld(t *testing.T) {
	readsAs(t, []limitRead{
		{"有效期3天，当日推送", catalog.LimitRealTime, 0, "当日"},
		{"实时推送，不超过3天", catalog.LimitDays, 3, "3天"},
		{"3个工作日推送", catalog.LimitWorkingDays, 3, "3个工作日"},
		{"不超过3个工作日", catalog.LimitWorkingDays, 3, "3个工作日"},
		{"实时推送，3个工作日", catalog.LimitWorkingDays, 3, "3个工作日"},
		{"保存3个工作日内推送", catalog.LimitWorkingDays, 3, "3个工作日内"},
		{"保存后3个工作日推送", catalog.LimitWorkingDays, 3, "3个工作日"},
		{"保存后不超过3个工作日推送", catalog.LimitWorkingDays, 3, "3个工作日"},
		{"实时推送，最迟不超过3个工作日", catalog.LimitWorkingDays, 3, "3个工作日"},
		{"实时推送，不超过3个工作日推送", catalog.LimitWorkingDays, 3, "3个工作日"},
		{"不超过3个工作日，推送至共享平台", catalog.LimitWorkingDays, 3, "3个工作日"},
	})
	refusedForLicence(t, "实时推送，最迟不超过3个工作日", "不超过3个工作日，推送至共享平台")
}

// TestReadTimeLimitWorkingDaysNamingDelivery: a number of working days
// without 内 or a bound after a keeping word is the delivery's limit where
// its own clause names the delivery after it (有效期届满前3个工作日推送,
// 3 working days, refused for a licence and business data), as it was
// before d725464; only one whose clause names none (有效期3个工作日，当日推送)
// is the keeping period. From d725464 until this change (2026-12-06)
// the keeping word made each such text state no limit, and it was not
// checked.
func TestReadTimeLimitWorkingDaysNamingDelivery(t *testing.T) {
	texts := []string{"有效期届满前3个工作日推送", "有效期内数据变更3个工作日推送", "有效期变更3个工作日推送",
		"证照有效期变更的3个工作日推送", "数据归档完成3个工作日推送", "保存数据3个工作日推送", "存档3个工作日推送",
		"有效期届满前3个工作日完成推送", "保存确认3个工作日更新"}
	var rows []limitRead
	for _, text := range texts {
		rows = append(rows, limitRead{text, catalog.LimitWorkingDays, 3, "3个工作日"})
	}
	readsAs(t, rows)
	refusedForLicence(t, texts...)
}

// TestReadTimeLimitWorkingDaysNamingDeliveryHeld: the neighbours read as
// before: a bound after a keeping word is the keeping period's however its
// clause ends, in working days as in days (有效期届满前不超过3个工作日推送,
// 有效期届满前不超过3天推送: none); days need 内 or a bound
// (有效期届满前3天推送: none); a delivery named in another clause leaves
// the working days the keeping period's (有效期3个工作日，推送至共享平台).
func TestReadTimeLimitWorkingDaysNamingDeliveryHeld(t *testing.T) {
	readsAs(t, []limitRead{
		{"有效期届满前不超过3个工作日推送", "", 0, ""},
		{"有效期届满前不超过3天推送", "", 0, ""},
		{"有效期届满前3天推送", "", 0, ""},
		{"有效期3个工作日，推送至共享平台", "", 0, ""},
		{"保存3个工作日", "", 0, ""},
		{"保存3个工作日，当日推送", catalog.LimitRealTime, 0, "当日"},
		{"有效期延续3个工作日内推送", catalog.LimitWorkingDays, 3, "3个工作日内"},
	})
}
