package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestFreshnessNotJudged: an entry whose update frequency is 其他 with a
// text that states no period (不定期) is not judged stale, and its 新鲜度
// was shown as 100%, as if fresh; it now reads 不适用. A real-time entry
// whose feed stopped 11 months ago, shown fresh (100%, not 已停更), is now
// stale. On both engines.
func TestFreshnessNotJudged(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		dept := f.depts["公安分局"].ID
		items := []records.Item{{Name: "说明", Type: "C"}}
		fed := func(code, freq, other string, monthsAgo int) int64 {
			id := recordstest.Entry(t, db, dept, recordstest.Spec{Code: code, Name: "资源" + code, SubjectKind: "none",
				UpdateFrequency: freq, FrequencyOther: other, Items: items})
			if _, err := db.Write().ExecContext(context.Background(), `INSERT INTO record_entry_stats (entry_id, department_id, ops,
				late_ops, checked_lines, rejected_lines, live_records, filled_values, item_count, fill_version, last_received_at)
				VALUES ($1, $2, 1, 0, 1, 0, 1, 1, 1, 1, $3)`, id, dept, f.clock.Now().AddDate(0, -monthsAgo, 0).UTC()); err != nil {
				t.Fatal(err)
			}
			return id
		}
		realtime := fed("301001/000021", "realtime", "", 11)
		irregular := fed("301001/000022", "other", "不定期", 11)
		op := f.loggedIn(t, "operator")
		page := fmt.Sprintf("/records/departments/%d", dept)
		r := op.get(page)
		wantStatus(t, page, r, http.StatusOK)
		rows := map[int64]string{}
		for _, m := range entryRowRE.FindAllStringSubmatch(r.Body, -1) {
			for _, id := range []int64{realtime, irregular} {
				if m[1] == fmt.Sprint(id) {
					rows[id] = m[2]
				}
			}
		}
		if row := rows[realtime]; !strings.Contains(row, "已停更") || !strings.Contains(row, `title="新鲜度 0%"`) {
			t.Errorf("real-time entry silent 11 months, want 已停更 and 新鲜度 0%%:\n%s", row)
		}
		if row := rows[irregular]; strings.Contains(row, "已停更") || !strings.Contains(row, "不适用") || strings.Contains(row, `title="新鲜度 100%"`) {
			t.Errorf("不定期 entry, want 新鲜度 不适用:\n%s", row)
		}
	})
}
