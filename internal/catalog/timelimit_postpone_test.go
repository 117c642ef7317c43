package catalog_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
)

// TestReadTimeLimitPostponed: the clause regulations add to a limit in
// working days, postponing a deadline that falls on a holiday to the
// next working day, changes no limit (working days skip holidays
// already): 5个工作日内…遇节假日顺延至下一工作日 reads as 5 working days. It
// was unreadable: its 下一工作日 read as a second limit, real time.
func TestReadTimeLimitPostponed(t *testing.T) {
	for _, tt := range []struct {
		text string
		kind catalog.LimitKind // "" for none read
		n    int
	}{
		{"5个工作日内…遇节假日顺延至下一工作日", catalog.LimitWorkingDays, 5},
		{"数据产生后5个工作日内报送，遇节假日顺延至下一工作日", catalog.LimitWorkingDays, 5},
		{"3个工作日内更新，如遇法定节假日则顺延至节后第一个工作日。", catalog.LimitWorkingDays, 3},
		{"2个工作日内（节假日顺延）", catalog.LimitWorkingDays, 2},
		{"每月10日前报送，遇节假日顺延", catalog.LimitMonthly, 10},
		{"实时更新；若遇休息日，顺延至下一个工作日", catalog.LimitRealTime, 0},
		{"次工作日前更新", catalog.LimitRealTime, 0},
		{"遇节假日顺延至下一工作日", "", 0},
		// Real time beside the bound is its aim (until 2026-12-06 none).
		{"5个工作日内，节假日顺延至下一工作日；实时", catalog.LimitWorkingDays, 5},
		// The clause ends at a line break or a closing bracket too, not
		// only at punctuation: the limit after it is read.
		{"遇节假日顺延\n5个工作日内报送", catalog.LimitWorkingDays, 5},
		{"1. 遇节假日顺延\n2. 办结后2个工作日内更新", catalog.LimitWorkingDays, 2},
		{"业务办结后（遇节假日顺延）2个工作日内更新", catalog.LimitWorkingDays, 2},
		{"（节假日顺延）2个工作日内", catalog.LimitWorkingDays, 2},
		{"（遇节假日顺延）10个工作日内更新", catalog.LimitWorkingDays, 10},
		{"3（遇节假日顺延）2个工作日内", catalog.LimitWorkingDays, 2},
		{"5个工作日内遇节假日顺延", catalog.LimitWorkingDays, 5},
		// A 顺延 stating a duration is a limit: the laxer one counts.
		{"2个工作日内更新，遇特殊情况可顺延至10个工作日", catalog.LimitWorkingDays, 10},
		{"5个工作日内，遇节假日顺延10个工作日", catalog.LimitWorkingDays, 10},
		{"工作日实时更新，节假日期间产生的数据顺延至节后3个工作日内报送", catalog.LimitWorkingDays, 3},
		{"5个工作日内，遇节假日顺延3个工作日", catalog.LimitWorkingDays, 5},
	} {
		got, ok := catalog.ReadTimeLimit(tt.text)
		if tt.kind == "" {
			if ok {
				t.Errorf("ReadTimeLimit(%q) = %+v, want none", tt.text, got)
			}
			continue
		}
		if !ok || got.Kind != tt.kind || got.N != tt.n {
			t.Errorf("ReadTimeLimit(%q) = %+v, %v; want %s %d", tt.text, got, ok, tt.kind, tt.n)
		}
	}
}

// TestReadTimeLimitPostponedChangesNothing: a clause postponing a deadline
// off holidays that names no duration (（遇节假日顺延）, as the whole text, in
// brackets, after a comma or run on) changes nothing: the text reads as it
// does without it, the rest deciding. Until 2026-12-05 the blank it left
// ended no clause, so 当日 followed by it no longer bounded the delivery
// (当日（遇节假日顺延） stated no limit, 当日 real time), and a clause naming
// 周末 or two kinds of day (遇周末或节假日顺延) was not one.
func TestReadTimeLimitPostponedChangesNothing(t *testing.T) {
	for _, rest := range []string{"", "当日", "次日", "次日前", "当天", "每日", "每月", "每季度首月上旬", "实时", "2个工作日内", "5个工作日内",
		"每月5日前", "当日产生的数据2个工作日内报送", "T+1"} {
		want, wantOK := catalog.ReadTimeLimit(rest)
		for _, text := range []string{
			rest + "（遇节假日顺延）", rest + "(遇节假日顺延)", "（遇节假日顺延）" + rest, rest + "，遇节假日顺延", rest + "，遇节假日顺延。",
			rest + "遇节假日顺延", rest + "；如遇法定节假日则顺延至下一工作日", rest + "（遇周末或节假日顺延）",
			rest + "（遇节假日、休息日顺延）", rest + "，遇节假日相应顺延",
		} {
			got, ok := catalog.ReadTimeLimit(text)
			if ok != wantOK || got.Kind != want.Kind || got.N != want.N {
				t.Errorf("ReadTimeLimit(%q) = %+v, %v; want %+v, %v as %q", text, got, ok, want, wantOK, rest)
			}
		}
	}
}
