package main

import (
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRecordsStaleLastPush: records stale printed each entry's since
// under 自此未接收, with no last receipt: an entry whose last receipt was
// stamped by a clock that was ahead read as receiving nothing since the
// time of judging ("just now"), and one that never received anything as
// receiving nothing since its first publication. It prints 最近推送, as
// the console's records page does: the last receipt, the stored one
// marked as later than now when it is, or 尚未推送 with the first
// publication it is judged from. The header says the times are Beijing
// time.
func TestRecordsStaleLastPush(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, vars := openRecordsDB(t, dsn)
		must := mustHutong(t, vars)
		dept := recordstest.Department(t, db, "公安分局", 1)
		now := time.Now().Truncate(time.Second)
		past, ahead, published := now.AddDate(0, 0, -30), now.AddDate(0, 0, 3), now.AddDate(0, 0, -40)
		entry := func(code string, at time.Time) int64 {
			spec := hujiSpec
			spec.Code, spec.Name, spec.UpdateFrequency, spec.PublishedAt = code, "资源"+code, "daily", at
			return recordstest.Entry(t, db, dept, spec)
		}
		fedAt(t, db, entry("101001/000201", published), dept, past)
		fedAt(t, db, entry("101001/000202", published), dept, ahead)
		entry("101001/000203", published)
		out := must("records", "stale")
		if !strings.Contains(strings.SplitN(out, "\n", 2)[0], "最近推送（北京时间）") || strings.Contains(out, "自此未接收") {
			t.Errorf("records stale header, want 最近推送（北京时间）:\n%s", out)
		}
		want := map[string]string{
			"101001/000201": beijingTime(past),
			"101001/000202": beijingTime(ahead) + "（晚于当前时间，时钟可能曾超前）",
			"101001/000203": "尚未推送（首次发布于 " + beijingTime(published) + "）",
		}
		for code, w := range want {
			row := ""
			for line := range strings.SplitSeq(out, "\n") {
				if strings.Contains(line, "资源"+code) {
					row = line
				}
			}
			if !strings.HasSuffix(strings.TrimSpace(row), w) {
				t.Errorf("records stale row of %s %q, want 最近推送 %q:\n%s", code, row, w, out)
			}
		}
		if !strings.Contains(out, "3 个数据资源停更") {
			t.Errorf("records stale, want 3 stale:\n%s", out)
		}
	})
}
