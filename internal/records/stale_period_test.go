package records_test

import (
	"slices"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestOtherPeriod: the usual 具体更新周期 texts of an entry whose update
// frequency is 其他 are read as a period; texts that state none are not.
func TestOtherPeriod(t *testing.T) {
	for text, want := range map[string]records.Period{
		"每三年": {Months: 36}, "每两年": {Months: 24}, "每2年": {Months: 24}, "每半年": {Months: 6}, "每 6 个月": {Months: 6},
		"每两月": {Months: 2}, "每两个月": {Months: 2}, "每十八个月": {Months: 18}, "每２季度": {Months: 6}, "三年一次": {Months: 36},
		"每三年更新一次": {Months: 36}, "每隔两年": {Months: 24}, "每两周": {Weeks: 2}, "每3星期": {Weeks: 3}, "每半月": {Weeks: 2},
		"每十日": {Days: 10}, "每2天": {Days: 2}, "每30天": {Days: 30}, "每5个工作日": {WorkingDays: 5}, "每十个工作日": {WorkingDays: 10},
	} {
		if got, ok := records.OtherPeriod(text); !ok || got != want {
			t.Errorf("OtherPeriod(%q) = %+v, %v; want %+v", text, got, ok, want)
		}
	}
	for _, text := range []string{"不定期", "按需更新", "一次性", "不更新", "每年两次", "三年", "每", "每零年", "每百年", "随时"} {
		if got, ok := records.OtherPeriod(text); ok {
			t.Errorf("OtherPeriod(%q) = %+v, want not read", text, got)
		}
	}
}

// TestStaleRealTimeAndOtherPeriods: a real-time entry that had received
// data was never stale, however long its feed had stopped (11 months in
// the demo: not listed, 新鲜度 100%), and an entry updated 每三年, 每两周 or
// 每半年 (其他) was never judged. A real-time entry is now stale after
// RealTimeQuietDays working days without data, and one of 其他 after the
// period its description states, moved past rest days as a weekly one is;
// one whose description states no period (不定期) is still not judged.
// Days (每30天) are calendar days, due that many days on and moved past
// rest days and public holidays (the 2026 清明节 of the calendar given),
// working days (每5个工作日) counted as such: 天 was counted in working days,
// 每30天 judged as six weeks, and 工作日 was not read. On both engines.
func TestStaleRealTimeAndOtherPeriods(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		items := []records.Item{{Name: "说明", Type: "C"}}
		entry := func(code, freq, other string) int64 {
			id := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: code, Name: "资源" + code, SubjectKind: "none",
				UpdateFrequency: freq, FrequencyOther: other, Items: items})
			f.push(f.pusher, id, line("add", "s1", monday, map[string]string{"说明": "x"}, ""), records.Options{})
			return id
		}
		rt := entry("301001/000011", "realtime", "")
		twoWeeks := entry("301001/000012", "other", "每两周")
		halfYear := entry("301001/000013", "other", "每半年")
		threeYears := entry("301001/000014", "other", "每三年")
		irregular := entry("301001/000015", "other", "不定期")
		ours := []int64{rt, twoWeeks, halfYear, threeYears, irregular}
		staleAt := func(now time.Time) []int64 {
			t.Helper()
			s, err := records.Stale(f.ctx, db.Read(), nil, 0, now)
			if err != nil {
				t.Fatal(err)
			}
			var out []int64
			for _, e := range s {
				if slices.Contains(ours, e.EntryID) {
					out = append(out, e.EntryID)
				}
			}
			return out
		}
		day := 24 * time.Hour
		for _, c := range []struct {
			name string
			at   time.Time
			want []int64
		}{
			// Monday 03-02 + 5 working days is Monday 03-09: still fresh.
			{"5 working days", monday.Add(7 * day), nil},
			{"6 working days", monday.Add(8 * day), []int64{rt}},
			// Two weeks: due Monday 03-16.
			{"two weeks", monday.Add(14 * day), []int64{rt}},
			{"two weeks and a day", monday.Add(15 * day), []int64{rt, twoWeeks}},
			// Half a year: due 09-02.
			{"eleven months", monday.AddDate(0, 11, 0), []int64{rt, twoWeeks, halfYear}},
			{"three years and a week", monday.AddDate(3, 0, 7), []int64{rt, twoWeeks, halfYear, threeYears}},
		} {
			if got := staleAt(c.at); !slices.Equal(got, c.want) {
				t.Errorf("%s: stale %v, want %v (real time %d, 每两周 %d, 每半年 %d, 每三年 %d)", c.name, got, c.want,
					rt, twoWeeks, halfYear, threeYears)
			}
		}
		// Days: 每30天 from Monday 03-02 10:00 (Beijing) is due by the end
		// of Wednesday 04-01; 每33天 falls on Saturday 04-04, in the 清明节 holiday
		// (04-04 to 04-06), and is due by the end of Tuesday 04-07;
		// 每5个工作日 is due Monday 03-09, as a real-time entry is.
		days := []int64{entry("301001/000016", "other", "每30天"), entry("301001/000017", "other", "每33天"),
			entry("301001/000018", "other", "每5个工作日")}
		cal := calendar.Default()
		for _, c := range []struct {
			at   time.Time
			want []int64
		}{
			{monday.Add(7 * day), nil},
			{monday.Add(8 * day), days[2:]},
			{monday.AddDate(0, 0, 30), days[2:]},
			{monday.AddDate(0, 0, 30).Add(2 * time.Hour), days[2:]},
			{monday.AddDate(0, 0, 31), []int64{days[0], days[2]}},
			{monday.AddDate(0, 0, 36).Add(13 * time.Hour), []int64{days[0], days[2]}}, // 04-07 23:00
			{monday.AddDate(0, 0, 37), days},
		} {
			s, err := records.Stale(f.ctx, db.Read(), cal, 0, c.at)
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, e := range s {
				if slices.Contains(days, e.EntryID) {
					got = append(got, e.EntryID)
				}
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("at %s: stale %v, want %v (每30天 %d, 每33天 %d, 每5个工作日 %d)", c.at.In(calendar.Location()).Format(time.DateTime),
					got, c.want, days[0], days[1], days[2])
			}
		}
		// The freshness score judges the same way; 不定期 is not judged.
		eleven := monday.AddDate(0, 11, 0)
		for id, want := range map[int64]float64{rt: 0, halfYear: 0, threeYears: 1} {
			q, err := records.EntryQuality(f.ctx, db.Read(), nil, id, 0, eleven)
			if err != nil {
				t.Fatal(err)
			}
			if q[0].Freshness != want || q[0].ScheduledEntries != 1 {
				t.Errorf("entry %d after eleven months: freshness %v over %d judged, want %v over 1", id, q[0].Freshness,
					q[0].ScheduledEntries, want)
			}
		}
		q, err := records.EntryQuality(f.ctx, db.Read(), nil, irregular, 0, eleven)
		if err != nil {
			t.Fatal(err)
		}
		if q[0].ScheduledEntries != 0 || q[0].StaleEntries != 0 {
			t.Errorf("不定期 entry: %d judged, %d stale; want not judged", q[0].ScheduledEntries, q[0].StaleEntries)
		}
	})
}
