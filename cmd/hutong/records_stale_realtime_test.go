package main

import (
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRecordsStaleRealTimeAndOther: a real-time entry whose feed stopped 11
// months ago was not listed by records stale and records quality showed
// its 新鲜度 as 100%; an entry updated 每三年 fed four years ago was not
// judged either. Both are now stale (0%), shown with the period judged by;
// an entry whose 具体更新周期 states none (不定期) is not judged, and its
// 新鲜度 reads 不适用, not 100%.
func TestRecordsStaleRealTimeAndOther(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, vars := openRecordsDB(t, dsn)
		must := mustHutong(t, vars)
		dept := recordstest.Department(t, db, "公安分局", 1)
		fed := func(code, freq, other string, last time.Time) {
			spec := hujiSpec
			spec.Code, spec.Name, spec.UpdateFrequency, spec.FrequencyOther = code, "资源"+code, freq, other
			fedAt(t, db, recordstest.Entry(t, db, dept, spec), dept, last)
		}
		now := time.Now()
		fed("101001/000101", "realtime", "", now.AddDate(0, -11, 0))
		fed("101001/000102", "other", "每三年", now.AddDate(-4, 0, 0))
		out := must("records", "stale")
		for _, want := range []string{"资源101001/000101", "实时", "资源101001/000102", "其他（每三年）", "2 个数据资源停更"} {
			if !strings.Contains(out, want) {
				t.Errorf("records stale lacks %q:\n%s", want, out)
			}
		}
		if got := columnOf(must("records", "quality", "-entry", "101001/000101"), "新鲜度"); got != "0%" {
			t.Errorf("real-time entry silent 11 months: 新鲜度 %q, want 0%%", got)
		}
		fed("101001/000103", "other", "不定期", now.AddDate(-4, 0, 0))
		if got := columnOf(must("records", "quality", "-entry", "101001/000103"), "新鲜度"); got != "不适用" {
			t.Errorf("不定期 entry: 新鲜度 %q, want 不适用", got)
		}
	})
}
