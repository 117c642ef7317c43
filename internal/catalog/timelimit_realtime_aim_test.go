package catalog_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
)

// TestReadTimeLimitRealTimeAim: real time beside a bound is the aim, and
// the bound, the laxer, what the provider promises, however the clauses
// are joined: 实时推送，3天内推送 is 3 days, refused for a licence and for
// business data, 实时推送，不晚于次日推送 1 day, refused for a licence only.
// Until this change only a bound after 最迟 (最晚, 至迟) counted; with any
// other wording the text stated two limits, no limit was read and it was
// not checked, so that 实时推送 in front of a refused limit got it
// accepted.
func TestReadTimeLimitRealTimeAim(t *testing.T) {
	readsAs(t, []limitRead{
		{"实时推送，3天内推送", catalog.LimitDays, 3, "3天内"},
		{"实时推送，不晚于次日推送", catalog.LimitDays, 1, "次日"},
		{"实时推送，72小时内推送", catalog.LimitHours, 72, "72小时内"},
		{"实时推送，不超过3个工作日", catalog.LimitWorkingDays, 3, "3个工作日"},
		{"实时推送，次日推送", catalog.LimitDays, 1, "次日"},
		{"实时推送，不超过3天", catalog.LimitDays, 3, "3天"},
		{"2个工作日内推送，实时更新", catalog.LimitWorkingDays, 2, "2个工作日内"},
		{"实时推送，12小时内", catalog.LimitHours, 12, "12小时内"},
		{"实时推送，每月5日前", catalog.LimitMonthly, 5, "每月5日前"},
		// Held: real time beside real time or the quarterly exception,
		// several bounds without one after 最迟, and a bound of keeping.
		{"实时推送，次日前推送", catalog.LimitRealTime, 0, "实时"},
		{"实时推送，当日推送", catalog.LimitRealTime, 0, "实时"},
		{"实时推送，每季度首月上旬", "", 0, ""},
		{"实时推送，2个工作日内报送，5日内推送", "", 0, ""},
		{"有效期不超过5年，实时推送", catalog.LimitRealTime, 0, "实时"},
		{"2个工作日内推送，不超过3天", catalog.LimitWorkingDays, 2, "2个工作日内"},
		// A bound in a clause naming an action other than the delivery
		// (办结, 完成, 办理) is the case's: beside real time in a clause
		// naming the delivery the text is real time. For part of
		// 2026-12-06 the bound counted (1个月内办结，实时推送 refused).
		{"1个月内办结，实时推送", catalog.LimitRealTime, 0, "实时"},
		{"10个工作日内办结，实时推送", catalog.LimitRealTime, 0, "实时"},
		{"12小时内办结，即时推送", catalog.LimitRealTime, 0, "即时"},
		{"每月5日前办结，实时更新", catalog.LimitRealTime, 0, "实时"},
		{"实时推送，3个工作日办理", catalog.LimitRealTime, 0, "实时"},
		{"次工作日前推送，5日内办结", catalog.LimitRealTime, 0, "次工作日"},
		{"不得超过3天办结，当天更新", catalog.LimitRealTime, 0, "当天"},
		{"实时推送 如遇特殊情况3日内办结", catalog.LimitRealTime, 0, "实时"},
		// Held: a bound naming the delivery (完成推送, 报送) or nothing
		// beside it, and real time naming no delivery.
		{"3个工作日内完成推送，实时", catalog.LimitWorkingDays, 3, "3个工作日内"},
		{"0.5个工作日内报送，实时推送", catalog.LimitWorkingDays, 1, "0.5个工作日内"},
		{"1个月内办结，实时推送，不超过3天", catalog.LimitDays, 3, "3天"},
		{"1个月内办结，实时", catalog.LimitDays, 28, "1个月内"},
		{"实时推送，数据推送须在3日内完成", catalog.LimitDays, 3, "3日内"},
		// A bare 完成 completes the delivery the text names: the bound
		// is the data's, as fdc2b75 read it (for part of 2026-12-06 the
		// case's, real time).
		{"0.5个工作日内完成，实时推送", catalog.LimitWorkingDays, 1, "0.5个工作日内"},
		{"即时推送，原则上2个工作日内完成", catalog.LimitWorkingDays, 2, "2个工作日内"},
	})
	refusedForLicence(t, "实时推送，3天内推送", "实时推送，72小时内推送", "实时推送，不超过3个工作日",
		"实时推送，不超过3天", "3个工作日内完成推送，实时", "1个月内办结，实时推送，不超过3天")
	licenceExceeds(t, "实时推送，不晚于次日推送", "实时推送，次日推送", "实时推送，12小时内", "即时推送，原则上2个工作日内完成")
	acceptedForBoth(t, "实时推送，半个工作日内", "实时推送，次日前推送", "有效期不超过5年，实时推送",
		"1个月内办结，实时推送", "10个工作日内办结，实时推送", "12小时内办结，即时推送",
		"实时推送，3个工作日办理", "次工作日前推送，5日内办结", "不得超过3天办结，当天更新", "0.5个工作日内完成，实时推送")
}

// TestReadTimeLimitCaseActionClosed: the action other than the delivery
// a bound beside real time may be of, and which makes it the case's, is a
// closed list of verbs of handling a case (办结, 办理, 审核, 受理 …). For
// part of 2026-12-06 (77b519e) any word after the bound that was no
// delivery word was one, so that ordinary words of delivery (上传, 发布,
// 补传), a bare 完成 and a bound after 最迟 threw the bound away and these
// read as real time, accepted for a licence and business data. Words of
// another action still make the text real time, and 变更 (as 更正 or 更改)
// is no delivery (a bare 更 was one: 实时推送，3日内办结变更 read 3 days).
// The verb must come right after the bound (and a 完成, 予以 …): in the
// object of a delivery (3日内上传办理结果) it made the text real time
// until this change, and 作出…决定, 批准, 审结, 签发, 出具, 核验, 审定 and
// 审签, missing from the list, made it their bound.
func TestReadTimeLimitCaseActionClosed(t *testing.T) {
	days := []string{
		"实时推送，3日内上传", "实时推送，3日内发布", "实时推送，3日内送达", "实时推送，3日内回传", "实时推送，3日内到达",
		"实时推送，3日内完成数据上传", "实时推送，3日内完成数据发布", "实时推送，3日内完成数据传输",
		"实时推送，3日内完成传送", "实时推送，3日内完成下发", "实时推送，3日内完成对接", "实时推送，3日内完成入库",
		"实时推送，故障时3日内补传", "实时推送，3日内补报", "实时推送，3日内完成补推",
		"实时推送，最迟3日内完成", "实时推送，原则上3日内完成", "实时推送，3日内完成", "实时推送，最迟3日内办结",
		// A verb of handling a case counts only right after the bound,
		// not in the object of a delivery.
		"实时推送，3日内上传办理结果", "实时推送，3日内发布审批结果", "实时推送，3日内发布审核结果",
		"实时推送，3日内上传办件信息", "实时推送，3日内发布证照核发信息", "实时推送，3日内送达受理回执",
		"实时推送，3日内上传至审批系统",
	}
	caseVerbs := []string{"实时推送，20个工作日内作出行政许可决定", "实时推送，20个工作日内作出准予许可决定",
		"实时推送，20日内批准", "实时推送，3日内审结", "实时推送，3日内签发", "实时推送，3日内出具", "实时推送，3日内核验",
		"实时推送，3日内审定", "实时推送，3日内审签"}
	var tests []limitRead
	for _, s := range days {
		tests = append(tests, limitRead{s, catalog.LimitDays, 3, "3日内"})
	}
	for _, s := range caseVerbs {
		tests = append(tests, limitRead{s, catalog.LimitRealTime, 0, "实时"})
	}
	readsAs(t, append(tests,
		limitRead{"实时推送，最迟3个工作日内完成", catalog.LimitWorkingDays, 3, "3个工作日内"},
		limitRead{"实时推送，最晚不超过3天完成", catalog.LimitDays, 3, "3天"},
		limitRead{"实时推送，延迟不超过3天完成", catalog.LimitDays, 3, "3天"},
		// Held: a bound of another action beside real time.
		limitRead{"实时推送，3日内完成审核", catalog.LimitRealTime, 0, "实时"},
		limitRead{"实时推送，5个工作日内予以受理", catalog.LimitRealTime, 0, "实时"},
		limitRead{"实时推送，3日内办结变更", catalog.LimitRealTime, 0, "实时"},
		limitRead{"实时推送，3个工作日前办结", catalog.LimitRealTime, 0, "实时"},
		limitRead{"实时推送，5个工作日内上传办理结果", catalog.LimitWorkingDays, 5, "5个工作日内"},
	))
	refusedForLicence(t, append(days, "实时推送，最迟3个工作日内完成", "实时推送，最晚不超过3天完成", "实时推送，延迟不超过3天完成",
		"实时推送，5个工作日内上传办理结果")...)
	acceptedForBoth(t, append(caseVerbs, "实时推送，3日内完成审核", "实时推送，5个工作日内予以受理", "实时推送，3日内办结变更",
		"实时推送，3个工作日前办结")...)
}

// TestReadTimeLimitDeliveryWords: the words of sending data on (上传, 发布,
// 传输, 补传 …) name the delivery as 推送 does, wherever the reader asks
// whether a clause names it: real time with one beside a case's deadline
// is the delivery's (实时上传，1个月内办结), and a deadline the delivery is
// joined to (3日内办结并上传, 3日内办结、上传) is the data's. Real time the
// case's bound is beside also when white space alone parts the clauses,
// when 次工作日前 opens it and when it is 当日 or 当天; a 次日 naming one is
// 1 day. Until this change (2026-12-06) the first group read as the
// deadline and was refused, the second as real time and was accepted, and
// 实时推送，次日上传 was accepted for a licence.
func TestReadTimeLimitDeliveryWords(t *testing.T) {
	realTime := []string{"实时上传，1个月内办结", "3日内办结，实时发布", "实时传输，10个工作日内审批",
		"实时上传，不超过20个工作日办结", "3日内办结 实时推送", "次工作日前推送 5日内办结", "当日推送，3日内办结",
		"10个工作日内办结，当天更新", "实时推送，20个工作日内准予注册", "实时推送，5个工作日内完成机动车登记审查",
		"实时推送，自受理之日起60日内，作出准予登记的决定"}
	bound := []limitRead{
		{"实时推送，3日内办结并上传", catalog.LimitDays, 3, "3日内"},
		{"实时推送，3日内办结后上传", catalog.LimitDays, 3, "3日内"},
		{"实时推送，3日内审核通过后发布", catalog.LimitDays, 3, "3日内"},
		{"3日内办结、上传，实时推送", catalog.LimitDays, 3, "3日内"},
		{"实时推送，0.5个月内出具，发证后不超过三个工作日上传办理结果", catalog.LimitWorkingDays, 3, "三个工作日"},
	}
	var refused []string
	for _, tt := range bound {
		refused = append(refused, tt.text)
	}
	for _, s := range realTime {
		l, _ := catalog.ReadTimeLimit(s)
		if l.Kind != catalog.LimitRealTime {
			t.Errorf("ReadTimeLimit(%q) = %+v, want real time", s, l)
		}
	}
	readsAs(t, append(bound, limitRead{"实时推送，次日上传", catalog.LimitDays, 1, "次日"}))
	acceptedForBoth(t, realTime...)
	refusedForLicence(t, refused...)
	licenceExceeds(t, "实时推送，次日上传", "实时推送，次日发布", "实时推送，次日补传")
}

// TestReadTimeLimitLooseBoundOwnClause: a bound without 内 that ends its
// clause is loose by its own words, not by the clause it continues into
// (continued), so a bound or cadence stated after it still counts. From
// f9359ea8 until this change the next clause's delivery word made the
// loose bound a second data bound and two limits read as none, accepted.
func TestReadTimeLimitLooseBoundOwnClause(t *testing.T) {
	readsAs(t, []limitRead{
		{"不超过5个工作日，3个工作日内推送", catalog.LimitWorkingDays, 3, "3个工作日内"},
		{"不得超过3日，20天内推送", catalog.LimitDays, 20, "20天内"},
		{"不超过2个工作日，最迟1日内报送", catalog.LimitDays, 1, "1日内"},
		{"不晚于3日出具、每月5日前上传", catalog.LimitMonthly, 5, "每月5日前"},
		{"不超过3个工作日，每季度更新", catalog.LimitQuarterly, 0, "季度"},
	})
	refusedForLicence(t, "不超过5个工作日，3个工作日内推送", "不得超过3日，20天内推送")
	licenceExceeds(t, "不超过2个工作日，最迟1日内报送")
}
