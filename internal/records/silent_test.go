package records_test

import (
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestSilentEntriesCount: published entries that never received data
// count against their department: its coverage is the share of its
// published entries that received data, its freshness counts those with
// a schedule stale from their publication, and a department that never
// pushed is listed. A real-time entry that received nothing for more than
// a working day after its publication is stale.
func TestSilentEntriesCount(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		tuesday := monday.Add(24 * time.Hour)
		realtime := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "101001/000002", Name: "不动产登记信息", SubjectKind: "none",
			UpdateFrequency: "realtime", PublishedAt: tuesday, Items: []records.Item{{Name: "说明", Type: "C"}}})
		recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "101001/000003", Name: "其他信息", SubjectKind: "none",
			UpdateFrequency: "other", Items: []records.Item{{Name: "说明", Type: "C"}}})
		silent := recordstest.Department(t, db, "从不推送局", 3)
		recordstest.Entry(t, db, silent, recordstest.Spec{Code: "401001/000001", Name: "某某信息", SubjectKind: "none",
			UpdateFrequency: "monthly", Items: []records.Item{{Name: "说明", Type: "C"}}})
		f.push(f.pusher, f.hj, line("add", recordstest.CitizenID(1), monday, map[string]string{"姓名": "甲"}, ""), records.Options{})

		wednesday, thursday := tuesday.Add(24*time.Hour), tuesday.Add(48*time.Hour)
		isStale := func(now time.Time) bool {
			t.Helper()
			s, err := records.Stale(f.ctx, db.Read(), nil, f.gaj, now)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range s {
				if e.EntryID == realtime {
					return true
				}
			}
			return false
		}
		if isStale(wednesday) || !isStale(thursday) {
			t.Errorf("real-time entry published on Tuesday, nothing received: stale on Wednesday %v, Thursday %v; want false, true",
				isStale(wednesday), isStale(thursday))
		}

		qs, err := records.DepartmentQuality(f.ctx, db.Read(), nil, 0, thursday)
		if err != nil {
			t.Fatal(err)
		}
		byDept := map[int64]records.Quality{}
		for _, q := range qs {
			byDept[q.DepartmentID] = q
		}
		// 公安: 户籍 received on Monday (daily: stale on Thursday), 不动产
		// received nothing (stale), 其他 received nothing (no schedule).
		if q := byDept[f.gaj]; q.PublishedEntries != 3 || q.EntriesWithoutData != 2 || q.Coverage != 0.3333 ||
			q.StaleEntries != 2 || q.Freshness != 0 {
			t.Errorf("公安: published %d, without data %d, coverage %v, stale %d, freshness %v; want 3, 2, 0.3333, 2, 0",
				q.PublishedEntries, q.EntriesWithoutData, q.Coverage, q.StaleEntries, q.Freshness)
		}
		for _, d := range []int64{f.rsj, silent} {
			if q, ok := byDept[d]; !ok || q.PublishedEntries != 1 || q.Coverage != 0 || q.StaleEntries != 1 || q.Freshness != 0 {
				t.Errorf("department %d, which never pushed: %+v (listed %v); want listed, coverage 0, freshness 0", d, q, ok)
			}
		}
		// A page at a time, the same departments.
		var paged []int64
		for pg := (records.Page{Limit: 1}); ; {
			qs, next, err := records.DepartmentQualityPage(f.ctx, db.Read(), nil, 0, pg, thursday)
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range qs {
				paged = append(paged, q.DepartmentID)
			}
			if next == 0 {
				break
			}
			pg.After = next
		}
		if len(paged) != 3 || paged[0] != f.gaj || paged[1] != f.rsj || paged[2] != silent {
			t.Errorf("pages of departments: %v, want %d %d %d", paged, f.gaj, f.rsj, silent)
		}

		// Once it received data, a real-time entry follows events, not a
		// schedule: a quiet working week is allowed
		// (records.RealTimeQuietDays), a month's silence is stale.
		f.receivedAt = thursday
		f.push(f.pusher, realtime, line("add", "u1", thursday.Add(-time.Hour), map[string]string{"说明": "x"}, ""), records.Options{})
		if isStale(thursday.AddDate(0, 0, 7)) {
			t.Errorf("real-time entry with data stale 5 working days later")
		}
		if !isStale(thursday.AddDate(0, 1, 0)) {
			t.Errorf("real-time entry with data not stale a month later")
		}
	})
}
