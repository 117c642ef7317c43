package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRecordsStaleQualityCalendar: records stale and quality judge with
// the platform calendar, -calendar or HUTONG_CALENDAR as serve reads it.
// They passed no calendar: a weekly entry due today, a working day that
// the calendar file makes a holiday (or a day off it makes a working day),
// was judged by the built-in calendar alone, so the command and the server
// disagreed on whether it was stale. The entry is due yesterday: by the end
// of that day if it is a working day (stale now), else by the end of the
// next working day, today or later (not stale). The rule file flips
// yesterday's kind: the entry's staleness with the file is the opposite of
// that without it.
func TestRecordsStaleQualityCalendar(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, vars := openRecordsDB(t, dsn)
		must := mustHutong(t, vars)
		dept := recordstest.Department(t, db, "公安分局", 1)
		spec := hujiSpec
		spec.UpdateFrequency = "weekly"
		entry := recordstest.Entry(t, db, dept, spec)

		// Due a week after its last data, yesterday (Beijing time) at noon.
		now := time.Now().In(calendar.Location())
		yesterday := time.Date(now.Year(), now.Month(), now.Day()-1, 0, 0, 0, 0, calendar.Location())
		due := yesterday.Add(12 * time.Hour)
		fedAt(t, db, entry, dept, due.AddDate(0, 0, -7))
		rule, staleWithout := "workday 测试调休", false
		if calendar.Default().IsWorkingDay(yesterday) {
			rule, staleWithout = "holiday 测试放假", true
		}
		file := tempFile(t, "cal.txt", calendar.DateOf(yesterday).String()+" "+rule+"\n")
		count := map[bool]string{true: "1 个数据资源停更", false: "0 个数据资源停更"}
		freshness := map[bool]string{true: "0%", false: "100%"}
		withEnv := map[string]string{"HUTONG_DB": dsn, "HUTONG_CALENDAR": file}
		for _, tt := range []struct {
			name  string
			vars  map[string]string
			flags []string
			stale bool
		}{
			{"built-in calendar", vars, nil, staleWithout},
			{"-calendar", vars, []string{"-calendar", file}, !staleWithout},
			{"HUTONG_CALENDAR", withEnv, nil, !staleWithout},
		} {
			if out := mustHutong(t, tt.vars)(append([]string{"records", "stale"}, tt.flags...)...); !strings.Contains(out, count[tt.stale]) {
				t.Errorf("%s (yesterday %s): records stale, want %s:\n%s", tt.name, rule, count[tt.stale], out)
			}
			out := mustHutong(t, tt.vars)(append([]string{"records", "quality"}, tt.flags...)...)
			if got := columnOf(out, "新鲜度"); got != freshness[tt.stale] {
				t.Errorf("%s (yesterday %s): records quality freshness %q, want %s:\n%s", tt.name, rule, got, freshness[tt.stale], out)
			}
		}
		// A file that cannot be read is an error naming it, not the
		// built-in calendar silently; batches reads no calendar.
		missing := filepath.Join(t.TempDir(), "none.txt")
		if out, err := hutong(t, vars, "records", "stale", "-calendar", missing); err == nil || !strings.Contains(out+message(err), "none.txt") {
			t.Errorf("records stale -calendar of a missing file: %v\n%s", err, out)
		}
		in := opsFile(t, addLine(recordstest.CitizenID(1), "张三"))
		if out, err := hutong(t, vars, "import", "records", "-entry", spec.Code, "-file", in, "-calendar", missing); err == nil ||
			!strings.Contains(out+message(err), "none.txt") {
			t.Errorf("import records -calendar of a missing file: %v\n%s", err, out)
		}
		if out := must("import", "records", "-entry", spec.Code, "-file", in, "-calendar", file); !strings.Contains(out, "已导入 1 条操作") {
			t.Errorf("import records -calendar:\n%s", out)
		}
		if _, err := hutong(t, vars, "records", "batches", "-calendar", file); err == nil || !strings.Contains(message(err), "-calendar 只用于") {
			t.Errorf("records batches -calendar: %v", err)
		}
		if out := must("records", "crosscheck", "-calendar", file); !strings.Contains(out, "比对") {
			t.Errorf("records crosscheck -calendar:\n%s", out)
		}
	})
}

// columnOf is the value of the named column in the first row of a table.
func columnOf(out, name string) string {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 2 {
		return ""
	}
	header, row := strings.Fields(lines[0]), strings.Fields(lines[1])
	for i, h := range header {
		if h == name && i < len(row) && len(header) == len(row) {
			return row[i]
		}
	}
	return ""
}

// TestRecordsQualityBelowOneNotPerfect: records quality printed scores
// with two decimals, so one line refused and one late of 20,000 (0.9999,
// as the API gives them) read 1.00, a perfect score; it prints the
// console's percentage, 99.9%.
func TestRecordsQualityBelowOneNotPerfect(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, vars := openRecordsDB(t, dsn)
		dept := recordstest.Department(t, db, "公安分局", 1)
		entry := recordstest.Entry(t, db, dept, hujiSpec)
		if _, err := db.Write().ExecContext(context.Background(), `INSERT INTO record_entry_stats (entry_id, department_id, ops,
			late_ops, checked_lines, rejected_lines, live_records, filled_values, item_count, fill_version, last_received_at)
			VALUES ($1, $2, 20000, 1, 20000, 1, 20000, 40000, 2, 1, $3)`, entry, dept, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		qs, err := records.EntryQuality(context.Background(), db.Read(), nil, entry, 0, time.Now())
		if err != nil || len(qs) != 1 || qs[0].Validity != 0.9999 {
			t.Fatalf("quality %+v, %v: want validity 0.9999", qs, err)
		}
		out := mustHutong(t, vars)("records", "quality")
		for col, want := range map[string]string{"有效性": "99.9%", "及时性": "99.9%", "完整性": "100%", "新鲜度": "100%"} {
			if got := columnOf(out, col); got != want {
				t.Errorf("records quality %s %q, want %s:\n%s", col, got, want, out)
			}
		}
		out = mustHutong(t, vars)("records", "quality", "-by", "department")
		for col, want := range map[string]string{"有效性": "99.9%", "覆盖率": "100%"} {
			if got := columnOf(out, col); got != want {
				t.Errorf("records quality -by department %s %q, want %s:\n%s", col, got, want, out)
			}
		}
	})
}
