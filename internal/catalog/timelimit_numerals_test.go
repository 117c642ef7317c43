package catalog_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
)

// readsAs checks ReadTimeLimit reads each text as its limit, kind "" for
// none read (and the zero limit).
func readsAs(t *testing.T, tests []limitRead) {
	t.Helper()
	for _, tt := range tests {
		l, ok := catalog.ReadTimeLimit(tt.text)
		if ok != (tt.kind != "") || l.Kind != tt.kind || l.N != tt.n || l.Words != tt.words {
			t.Errorf("ReadTimeLimit(%q) = %+v, %v; want %s %d %q", tt.text, l, ok, tt.kind, tt.n, tt.words)
		}
	}
}

type limitRead struct {
	text  string
	kind  catalog.LimitKind // "" for none read
	n     int
	words string
}

// refusedForLicence checks that ValidateEntry refuses each text for a
// licence (real time) and for other business data (2 working days), with
// timeliness_exceeds_rule alone.
func refusedForLicence(t *testing.T, texts ...string) {
	t.Helper()
	validatesTimeliness(t, "枪支持有许可证信息", true, texts...)
	validatesTimeliness(t, "户籍人口基本信息", true, texts...)
}

// licenceExceeds checks that ValidateEntry refuses each text for a licence
// (real time), with timeliness_exceeds_rule alone, and accepts it for
// other business data (2 working days).
func licenceExceeds(t *testing.T, texts ...string) {
	t.Helper()
	licenceRefuses(t, texts...)
	businessAccepts(t, texts...)
}

// acceptedForBoth checks that ValidateEntry accepts each text for a
// licence (real time) and for other business data (2 working days).
func acceptedForBoth(t *testing.T, texts ...string) {
	t.Helper()
	licenceAccepts(t, texts...)
	businessAccepts(t, texts...)
}

// licenceRefuses checks that ValidateEntry refuses each text for a
// licence (real time), with timeliness_exceeds_rule alone.
func licenceRefuses(t *testing.T, texts ...string) {
	t.Helper()
	validatesTimeliness(t, "枪支持有许可证信息", true, texts...)
}

// licenceAccepts checks that ValidateEntry accepts each text for a
// licence (real time).
func licenceAccepts(t *testing.T, texts ...string) {
	t.Helper()
	validatesTimeliness(t, "枪支持有许可证信息", false, texts...)
}

// businessAccepts checks that ValidateEntry accepts each text for
// business data (2 working days).
func businessAccepts(t *testing.T, texts ...string) {
	t.Helper()
	validatesTimeliness(t, "户籍人口基本信息", false, texts...)
}

// validatesTimeliness checks ValidateEntry on the household entry named
// name with each text as its timeliness: refused with
// timeliness_exceeds_rule alone if refused, else accepted.
func validatesTimeliness(t *testing.T, name string, refused bool, texts ...string) {
	t.Helper()
	for _, text := range texts {
		r := household()
		r.Name, r.Timeliness = name, text
		errs := catalog.ValidateEntry(r)
		if refused && (len(errs) != 1 || errs[0].Code != "timeliness_exceeds_rule") {
			t.Errorf("%s, %q: errors %v, want timeliness_exceeds_rule", name, text, errs)
		}
		if !refused && len(errs) != 0 {
			t.Errorf("%s, %q: errors %v, want none", name, text, errs)
		}
	}
}

// TestReadTimeLimitWan: a limit written with 万 (ten thousand), in Chinese
// numerals or after digits, is read as the number it is and, above 3660
// days or 87840 hours, as that many, as 10000个工作日内 is: until 2026-12-05
// 一万个工作日内, 1万个工作日内, 十万日内 and 万日内 stated no limit, and a
// licence could promise them unchecked.
func TestReadTimeLimitWan(t *testing.T) {
	readsAs(t, []limitRead{
		{"10000个工作日内", catalog.LimitWorkingDays, 3660, "10000个工作日内"},
		{"一万个工作日内", catalog.LimitWorkingDays, 3660, "一万个工作日内"},
		{"1万个工作日内", catalog.LimitWorkingDays, 3660, "1万个工作日内"},
		{"办结后十万日内更新", catalog.LimitDays, 3660, "十万日内"},
		{"万日内", catalog.LimitDays, 3660, "万日内"},
		{"一万二千天内", catalog.LimitDays, 3660, "一万二千天内"},
		{"1万五千个工作日内", catalog.LimitWorkingDays, 3660, "1万五千个工作日内"},
		{"一万小时内", catalog.LimitHours, 10000, "一万小时内"},
		{"十万小时内", catalog.LimitHours, 87840, "十万小时内"},
		{"两万周内", catalog.LimitDays, 3660, "两万周内"},
		{"99999999999999999999万日内", catalog.LimitDays, 3660, "99999999999999999999万日内"},
		{"99999999999999999999万五千日内", catalog.LimitDays, 3660, "99999999999999999999万五千日内"},
		{"99999999999999999999万十日内", "", 0, ""},
		{"0万日内", "", 0, ""},
		{"每月一万日前", "", 0, ""},
		{"每一万个工作日更新一次", "", 0, ""},
	})
	refusedForLicence(t, "一万个工作日内", "1万个工作日内", "十万日内", "万日内", "一万小时内",
		"99999999999999999999万日内")
}

// TestReadTimeLimitAbbreviated: a limit in the abbreviated numerals of
// speech is read as spoken, a last digit right after 百 or 千 its next lower
// unit (一百五 150, 两千五 2500, 百五 150; until 2026-12-05 105, 2005, 105),
// and a numeral with a 零 after the tens (廿零五, 二十零五) is no number: the
// text states no limit that can be read, as 二廿日内 does (until
// 2026-12-05 it read as 25 days).
func TestReadTimeLimitAbbreviated(t *testing.T) {
	readsAs(t, []limitRead{
		{"一百五日内", catalog.LimitDays, 150, "一百五日内"},
		{"百五个工作日内", catalog.LimitWorkingDays, 150, "百五个工作日内"},
		{"两千五小时内", catalog.LimitHours, 2500, "两千五小时内"},
		{"一百零五天内", catalog.LimitDays, 105, "一百零五天内"},
		{"二十五日内", catalog.LimitDays, 25, "二十五日内"},
		{"廿零五日内", "", 0, ""},
		{"二十零五个工作日内", "", 0, ""},
		{"二廿日内", "", 0, ""},
	})
	refusedForLicence(t, "一百五日内", "百五个工作日内", "两千五小时内")
}
