package catalog

import "testing"

// TestKeptLatestNextDayBesideRealTime: a licence's 实时推送，最迟次日推送,
// accepted until 2026-12-06 as real time and now 1 day, is not refused
// where an edit keeps it from the licence in force (keptTimeliness), as a
// kept 次日更新 is not: its words are the 次日; a new one, or another text
// than the one kept, is refused. Nor is a kept 实时推送，次日推送 refused,
// accepted until 2026-12-06 (real time, then no limit read) and now 1 day
// beside its aim, real time (aim); a new one is.
func TestKeptLatestNextDayBesideRealTime(t *testing.T) {
	for _, tt := range []struct {
		text, kept string
		refused    bool
	}{
		{"实时推送，最迟次日推送", "实时推送，最迟次日推送", false},
		{"实时推送，最迟次日8时前", "实时推送，最迟次日8时前", false},
		{"次日更新", "次日更新", false},
		{"实时推送，最迟次日推送", "", true},
		{"即时推送，最迟次日", "实时推送，最迟次日推送", true},
		{"实时推送，次日推送", "实时推送，次日推送", false},
		{"实时推送，次日推送", "", true},
	} {
		v := &validator{keptTimeliness: tt.kept}
		v.timeLimit(Resource{Name: "枪支持有许可证信息", Timeliness: tt.text})
		if refused := len(v.errs) == 1 && v.errs[0].Code == "timeliness_exceeds_rule"; refused != tt.refused || len(v.errs) > 1 {
			t.Errorf("%q keeping %q: errors %v, want refused %v", tt.text, tt.kept, v.errs, tt.refused)
		}
	}
}
