package catalog_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
)

// TestReadTimeLimit reads the forms of time limit catalogs write (N个工作日内,
// N日内, 每月N日前, 实时, 季度) the same way wherever they stand, and leaves
// texts stating none, or several, unread. The next working day's synonyms
// (下一个工作日, 下个工作日, 次一工作日) are 次工作日, real time, not 1 working
// day or unread, and 当日, 当天, 次日前 real time where nothing else is
// stated, but 次日 (报送, 12时前) 1 day, as 1日内 (until 2026-12-05 real time).
// 百, 廿 and 卅 are read as 一百, 二十 and 三十 (until 2026-12-05 百日内, 廿日内
// and 卅日内 stated no limit and were never checked).
//
// A number of days or hours above 3660 days (87840 hours) counts as that
// many, so that comparing a limit with a 顺延 of another cannot overflow:
// 2个工作日内…可顺延至300000000000000000个工作日 read as 2 working days (the
// extension's bound overflowed to a negative number and lost the
// comparison), and 2000000000000000000周内 as a negative number of days,
// within 2. Such a text now reads as the long limit it states (and is
// refused as one: TestTimelinessWithinRule). So does a number of digits
// too many for an int (99999999999999999999个工作日内), which until
// 2026-12-05 stated no limit and was never checked. A day of the month
// outside 1 to 31 (每月32日前) states no limit that can be read.
func TestReadTimeLimit(t *testing.T) {
	readsAs(t, []limitRead{
		{"业务办结后2个工作日内更新", catalog.LimitWorkingDays, 2, "2个工作日内"},
		{"业务办结后5个工作日内更新", catalog.LimitWorkingDays, 5, "5个工作日内"},
		{"办结后10个工作日内", catalog.LimitWorkingDays, 10, "10个工作日内"},
		{"十二个工作日内", catalog.LimitWorkingDays, 12, "十二个工作日内"},
		{"产生后 两 个工作日内", catalog.LimitWorkingDays, 2, "两个工作日内"},
		{"３日内更新", catalog.LimitDays, 3, "3日内"},
		{"变更后7天内推送", catalog.LimitDays, 7, "7天内"},
		{"每月5日前更新上月数据", catalog.LimitMonthly, 5, "每月5日前"},
		{"每月十日前报送", catalog.LimitMonthly, 10, "每月十日前"},
		{"实时推送", catalog.LimitRealTime, 0, "实时"},
		{"审批结果产生后次工作日前提供", catalog.LimitRealTime, 0, "次工作日"},
		{"每季度首月上旬更新", catalog.LimitQuarterly, 0, "季度"},
		{"实时性要求：5个工作日内", catalog.LimitWorkingDays, 5, "5个工作日内"},
		{"无需实时推送，产生后2个工作日内更新", catalog.LimitWorkingDays, 2, "2个工作日内"},
		{"3天以内", catalog.LimitDays, 3, "3天以内"},
		{"不超过3个工作日", catalog.LimitWorkingDays, 3, "3个工作日"},
		{"每年更新一次，更新后5个工作日内推送", catalog.LimitWorkingDays, 5, "5个工作日内"},
		{"72小时内推送", catalog.LimitHours, 72, "72小时内"},
		{"产生后24小时内更新", catalog.LimitHours, 24, "24小时内"},
		{"1周内", catalog.LimitDays, 7, "1周内"},
		{"两个星期之内", catalog.LimitDays, 14, "两个星期之内"},
		{"次月10日前", catalog.LimitMonthly, 10, "次月10日前"},
		{"一百个工作日内", catalog.LimitWorkingDays, 100, "一百个工作日内"},
		{"一百零五天内", catalog.LimitDays, 105, "一百零五天内"},
		{"办结后百日内更新", catalog.LimitDays, 100, "百日内"},
		{"廿日内", catalog.LimitDays, 20, "廿日内"},
		{"卅日内推送", catalog.LimitDays, 30, "卅日内"},
		{"廿五个工作日内", catalog.LimitWorkingDays, 25, "廿五个工作日内"},
		{"每月廿日前报送", catalog.LimitMonthly, 20, "每月廿日前"},
		{"一百廿天内", catalog.LimitDays, 120, "一百廿天内"},
		{"二廿日内", "", 0, ""},
		{"每5个工作日更新一次", "", 0, ""},
		{"每隔3个工作日汇总推送", "", 0, ""},
		{"每24小时更新", "", 0, ""},
		{"按需", "", 0, ""},
		{"T+1", "", 0, ""},
		{"每年3月15日前更新上一年度数据", "", 0, ""},
		{"每月更新", "", 0, ""},
		// Real time beside a bound is the aim, the bound what counts
		// (TestReadTimeLimitRealTimeAim; until 2026-12-06 none).
		{"电子证照实时更新，其他业务数据2个工作日内更新", catalog.LimitWorkingDays, 2, "2个工作日内"},
		{"", "", 0, ""},
		{"产生后下一个工作日前提供", catalog.LimitRealTime, 0, "下一个工作日"},
		{"次一工作日前", catalog.LimitRealTime, 0, "次一工作日"},
		{"下一工作日", catalog.LimitRealTime, 0, "下一工作日"},
		{"下个工作日前推送", catalog.LimitRealTime, 0, "下个工作日"},
		{"次工作日前，2个工作日内", catalog.LimitWorkingDays, 2, "2个工作日内"},
		{"当日", catalog.LimitRealTime, 0, "当日"},
		{"当天更新", catalog.LimitRealTime, 0, "当天"},
		{"次日报送", catalog.LimitDays, 1, "次日"},
		{"次日前报送", catalog.LimitRealTime, 0, "次日"},
		{"次日12时前报送", catalog.LimitDays, 1, "次日12时"},
		{"1日内报送", catalog.LimitDays, 1, "1日内"},
		{"当日产生的数据2个工作日内报送", catalog.LimitWorkingDays, 2, "2个工作日内"},
		{"非当日", "", 0, ""},
		// A stated target and a latest bound (当日…最迟次日, 当日或次日) are
		// the laxer, the bound: 1 day (until 2026-12-05 two limits, unread).
		{"当日更新，最迟次日", catalog.LimitDays, 1, "次日"},
		{"当日更新，最迟次日推送", catalog.LimitDays, 1, "次日"},
		{"当天报送，最晚次日内", catalog.LimitDays, 1, "次日"},
		{"当日或次日更新", catalog.LimitDays, 1, "次日"},
		{"当日更新，最迟次日前", catalog.LimitRealTime, 0, "当日"},
	})
	// Huge numbers: the long limit they state, never within 2.
	huge := []limitRead{
		{"2个工作日内更新，遇特殊情况可顺延至300000000000000000个工作日", catalog.LimitWorkingDays, 3660, "300000000000000000个工作日"},
		{"300000000000000000个工作日内", catalog.LimitWorkingDays, 3660, "300000000000000000个工作日内"},
		{"2个工作日内更新，遇特殊情况可顺延至2000000000000000000周内", catalog.LimitDays, 3660, "2000000000000000000周内"},
		{"2000000000000000000周内", catalog.LimitDays, 3660, "2000000000000000000周内"},
		{"1000周内", catalog.LimitDays, 3660, "1000周内"},
		{"2个工作日内更新，遇特殊情况可顺延至9000000000000000000小时内", catalog.LimitHours, 87840, "9000000000000000000小时内"},
		{"3660个工作日内", catalog.LimitWorkingDays, 3660, "3660个工作日内"},
		{"87841小时内", catalog.LimitHours, 87840, "87841小时内"},
		{"99999999999999999999个工作日内", catalog.LimitWorkingDays, 3660, "99999999999999999999个工作日内"},
		{"99999999999999999999周内", catalog.LimitDays, 3660, "99999999999999999999周内"},
		{"2个工作日内更新，遇特殊情况可顺延至99999999999999999999小时内", catalog.LimitHours, 87840, "99999999999999999999小时内"},
		{"九千九百九十九日内", catalog.LimitDays, 3660, "九千九百九十九日内"},
		{"000个工作日内", "", 0, ""},
		{"次月99999999999999999999日前报送", "", 0, ""},
		{"每月31日前更新上月数据", catalog.LimitMonthly, 31, "每月31日前"},
		{"每月32日前更新上月数据", "", 0, ""},
		{"次月99999999999999999日前报送", "", 0, ""},
		{"每月五十日前报送", "", 0, ""},
	}
	readsAs(t, huge)
	for _, tt := range huge {
		if l, ok := catalog.ReadTimeLimit(tt.text); ok && l.Within2() {
			t.Errorf("ReadTimeLimit(%q) = %+v: within 2 working days", tt.text, l)
		}
	}
}

// TestTimelinessWithinRule: a 时效要求 promising a longer limit than the
// platform's timeliness rule (seed 001 七(四)) is refused
// (timeliness_exceeds_rule), with a message naming the limit, the rule and
// how to ask for the quarterly exception: more than 2 working days for
// business data, anything but real time for licences and documents (by
// name or the 电子证照 category). Limits kept, the quarterly exception asked
// for and texts not read pass.
func TestTimelinessWithinRule(t *testing.T) {
	licence := func(r *catalog.Resource) { r.Name = "枪支持有许可证信息" }
	for _, tt := range []struct {
		name     string
		change   func(r *catalog.Resource)
		refused  bool
		mentions []string
	}{
		{"five working days", func(r *catalog.Resource) { r.Timeliness = "业务办结后5个工作日内更新" }, true,
			[]string{"5个工作日内", "2个工作日内", "每季度首月上旬", "政务数据主管部门"}},
		{"monthly by the fifth", func(r *catalog.Resource) {
			r.UpdateFrequency, r.Timeliness = "monthly", "每月5日前更新上月数据"
		}, true, []string{"次月5日前", "2个工作日内"}},
		{"three days", func(r *catalog.Resource) { r.Timeliness = "3日内更新" }, true, []string{"3日内"}},
		{"two working days", func(r *catalog.Resource) { r.Timeliness = "业务办结后2个工作日内更新" }, false, nil},
		{"one day", func(r *catalog.Resource) { r.Timeliness = "1日内更新" }, false, nil},
		{"real time", func(r *catalog.Resource) { r.Timeliness = "实时推送" }, false, nil},
		{"quarterly exception asked for", func(r *catalog.Resource) {
			r.UpdateFrequency, r.Timeliness = "quarterly", "每季度首月上旬更新"
		}, false, nil},
		{"unread", func(r *catalog.Resource) { r.Timeliness = "T+1" }, false, nil},
		{"72 hours", func(r *catalog.Resource) { r.Timeliness = "72小时内" }, true, []string{"72小时内"}},
		{"48 hours", func(r *catalog.Resource) { r.Timeliness = "48小时内" }, false, nil},
		{"a week", func(r *catalog.Resource) { r.Timeliness = "1周内" }, true, []string{"1周内"}},
		{"next month by the tenth", func(r *catalog.Resource) {
			r.UpdateFrequency, r.Timeliness = "monthly", "次月10日前"
		}, true, []string{"次月10日前"}},
		{"a hundred working days", func(r *catalog.Resource) { r.Timeliness = "一百个工作日内" }, true, []string{"一百个工作日内"}},
		{"every five working days", func(r *catalog.Resource) {
			r.UpdateFrequency, r.FrequencyOther, r.Timeliness = catalog.FrequencyOther, "每5个工作日", "每5个工作日更新一次"
		}, false, nil},
		{"licence within two working days", func(r *catalog.Resource) {
			licence(r)
			r.Timeliness = "业务办结后2个工作日内更新"
		}, true, []string{"电子证照、文书类", "“许可证”", "实时更新", "2个工作日内"}},
		{"licence within ten working days", func(r *catalog.Resource) {
			licence(r)
			r.Timeliness = "办结后10个工作日内"
		}, true, []string{"10个工作日内", "实时更新"}},
		{"licence in real time", func(r *catalog.Resource) {
			licence(r)
			r.Timeliness = "办结后实时推送"
		}, false, nil},
		{"next day", func(r *catalog.Resource) { r.Timeliness = "次日更新" }, false, nil},
		{"licence next day", func(r *catalog.Resource) {
			licence(r)
			r.Timeliness = "次日更新"
		}, true, []string{"“次日”", "实时更新"}},
		{"licence before the next day", func(r *catalog.Resource) {
			licence(r)
			r.Timeliness = "当日产生的数据次日前推送"
		}, false, nil},
		{"licence same day, next day at the latest", func(r *catalog.Resource) {
			licence(r)
			r.Timeliness = "当日更新，最迟次日推送"
		}, true, []string{"“次日”", "实时更新"}},
		{"licence same day or next day", func(r *catalog.Resource) {
			licence(r)
			r.Timeliness = "当日或次日更新"
		}, true, []string{"“次日”", "实时更新"}},
		{"same day, next day at the latest", func(r *catalog.Resource) { r.Timeliness = "当日更新，最迟次日推送" }, false, nil},
		{"licence by category", func(r *catalog.Resource) {
			r.Classification.CategoryCode, r.Classification.CategoryName = "05", "电子证照"
			r.Timeliness = "1日内更新"
		}, true, []string{"基础信息资源 05"}},
		{"working days extended to a huge number", func(r *catalog.Resource) {
			r.Timeliness = "2个工作日内更新，遇特殊情况可顺延至300000000000000000个工作日"
		}, true, nil},
		{"a huge number of weeks", func(r *catalog.Resource) { r.Timeliness = "2000000000000000000周内" }, true, nil},
		{"working days extended to a huge number of weeks", func(r *catalog.Resource) {
			r.Timeliness = "2个工作日内更新，遇特殊情况可顺延至2000000000000000000周内"
		}, true, nil},
		{"working days too many for an int", func(r *catalog.Resource) { r.Timeliness = "99999999999999999999个工作日内" }, true, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := household()
			tt.change(&r)
			var got []string
			for _, e := range catalog.ValidateEntry(r) {
				got = append(got, e.Code)
				if e.Code != "timeliness_exceeds_rule" {
					continue
				}
				if e.Field != "timeliness" {
					t.Errorf("field %s, want timeliness", e.Field)
				}
				for _, m := range tt.mentions {
					if !strings.Contains(e.Message, m) {
						t.Errorf("message %q does not mention %q", e.Message, m)
					}
				}
			}
			if tt.refused != (len(got) == 1 && got[0] == "timeliness_exceeds_rule") || !tt.refused && len(got) != 0 {
				t.Errorf("got errors %v, want refused %v", got, tt.refused)
			}
		})
	}
}

// TestTimelinessSuggestionsPass checks that what a timeliness_exceeds_rule
// message tells the department to write is accepted: a licence updated
// daily, weekly, monthly or yearly may be pushed 实时 or 即时 (how soon it is
// pushed, not how often it changes), and the quarterly exception passes
// with 更新周期 每季度, which its message asks for.
func TestTimelinessSuggestionsPass(t *testing.T) {
	for _, f := range []catalog.Frequency{"realtime", "daily", "weekly", "monthly", "yearly"} {
		for _, text := range []string{"实时更新", "即时推送", "产生后次工作日前推送", "办结后实时推送"} {
			r := household()
			r.Name, r.UpdateFrequency, r.Timeliness = "小餐饮登记证信息", f, text
			if errs := catalog.ValidateEntry(r); len(errs) != 0 {
				t.Errorf("licence, %s, %q: %v", f, text, errs)
			}
		}
		for _, text := range []string{"业务办结后2个工作日内更新"} {
			r := household()
			r.UpdateFrequency, r.Timeliness = f, text
			if errs := catalog.ValidateEntry(r); len(errs) != 0 {
				t.Errorf("business data, %s, %q: %v", f, text, errs)
			}
		}
	}
	// The suggestions are taken from the messages themselves.
	quoted := regexp.MustCompile(`(?:改为|写为|如)“([^”]+)”(?:或“([^”]+)”)?`)
	for _, tt := range []struct {
		name   string
		change func(r *catalog.Resource)
	}{
		{"licence", func(r *catalog.Resource) {
			r.Name, r.UpdateFrequency, r.Timeliness = "小餐饮登记证信息", "daily", "5个工作日内"
		}},
		{"business", func(r *catalog.Resource) { r.UpdateFrequency, r.Timeliness = "weekly", "5个工作日内" }},
	} {
		r := household()
		tt.change(&r)
		errs := catalog.ValidateEntry(r)
		if len(errs) != 1 || errs[0].Code != "timeliness_exceeds_rule" {
			t.Fatalf("%s: got %v", tt.name, errs)
		}
		var n int
		for _, m := range quoted.FindAllStringSubmatch(errs[0].Message, -1) {
			for _, s := range m[1:] {
				if s == "" || s == "每季度" {
					continue
				}
				n++
				fixed := r
				fixed.Timeliness = s
				if s == "每季度首月上旬更新" {
					fixed.UpdateFrequency = "quarterly"
				}
				if errs := catalog.ValidateEntry(fixed); len(errs) != 0 {
					t.Errorf("%s: suggested %q is refused: %v", tt.name, s, errs)
				}
			}
		}
		if n < 2 {
			t.Errorf("%s: message %q suggests %d texts", tt.name, errs[0].Message, n)
		}
	}
	r := household()
	r.UpdateFrequency, r.Timeliness = "daily", "5个工作日内"
	if errs := catalog.ValidateEntry(r); len(errs) != 1 || !strings.Contains(errs[0].Message, "更新周期改为“每季度”") {
		t.Errorf("the quarterly exception's text does not say it needs 更新周期 每季度: %v", errs)
	}
}
